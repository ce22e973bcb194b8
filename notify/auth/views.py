"""Sign in and out."""

import math
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from models.base import utcnow
from models.enums import SessionEnd
from notify import audit
from notify.auth import lock_policy, safe_next
from notify.auth.service import SignIn, authenticate
from notify.auth.sessions import end_current_session, rotate_session
from notify.extensions import limiter
from notify.transaction import transaction

bp = Blueprint("auth", __name__)

WRONG = "Enter a correct email address and password"


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


class SignOutForm(FlaskForm):
    submit = SubmitField("Sign out", widget=GovSubmitInput())


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def sign_in() -> Any:
    form = SignInForm()
    if form.validate_on_submit():
        with transaction() as session:
            attempt = authenticate(
                session, form.email.data or "", form.password.data or "", lock_policy()
            )
            if attempt.user is None:
                _audit_failure(attempt)
            else:
                rotate_session(session)
                login_user(attempt.user)
                audit.record("sign_in", "user", attempt.user.id)
        if attempt.user is not None:
            return redirect(safe_next(request.args.get("next"), url_for("pages.home")))
        form.email.errors = [_refusal(attempt)]
    return render_template("views/auth/sign_in.html", form=form)


def _audit_failure(attempt: SignIn) -> None:
    audit.record(
        "sign_in_failed",
        "user",
        attempt.account.id if attempt.account else None,
        reason=attempt.reason,
        locked=attempt.locked_until is not None,
    )


def _refusal(attempt: SignIn) -> str:
    if attempt.locked_until is None:
        return WRONG
    minutes = max(1, math.ceil((attempt.locked_until - utcnow()).total_seconds() / 60))
    return (
        "There have been too many failed attempts to sign in with this email address. "
        f"Wait {minutes} {'minute' if minutes == 1 else 'minutes'} and try again, or ask an "
        "administrator to unlock it"
    )


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out() -> Any:
    form = SignOutForm()
    # A link (or a page that loads one) cannot sign anyone out: only the form's POST, with
    # its CSRF token. A GET shows the form.
    if not form.validate_on_submit():
        return render_template("views/auth/sign_out.html", form=form)
    with transaction() as session:
        audit.record("sign_out", "user", current_user.id)
        end_current_session(session, SessionEnd.SIGNED_OUT)
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
