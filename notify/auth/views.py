"""Sign in and out."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from notify import audit
from notify.auth import safe_next
from notify.auth.service import authenticate
from notify.extensions import db, limiter

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password"), Length(max=200)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def sign_in() -> Any:
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), form.email.data or "", form.password.data or "")
        if user is None:
            form.email.errors = ["Enter a correct email address and password"]
        else:
            login_user(user)
            audit.record("sign_in", "user", user.id)
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), url_for("pages.home")))
    return render_template("views/auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out() -> Any:
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
