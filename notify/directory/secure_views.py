"""The administrator's page for secure mail domains: list them, add an accredited one, remove
one. Audited; thin over notify.notifications.secure_domains."""

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from sqlalchemy import select
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from models import SecureDomain
from models.enums import Role
from notify import audit
from notify.auth import roles_required
from notify.directory.views import bp
from notify.extensions import db
from notify.notifications.secure_domains import add_secure_domain, remove_secure_domain
from notify.problems import InvalidInput
from notify.transaction import transaction
from notify.web.forms import StripWhitespaceForm, add_problems


class SecureDomainForm(StripWhitespaceForm):
    domain = StringField(
        "Mail domain",
        widget=GovTextInput(),
        description="A domain accredited to the secure email standard (DCB1596), like "
        "worcestershire.gov.uk. Its subdomains are secure too.",
        validators=[
            DataRequired("Enter a mail domain"),
            Length(max=253, message="A mail domain is at most 253 characters"),
        ],
    )
    submit = SubmitField("Add the domain", widget=GovSubmitInput())


class RemoveDomainForm(StripWhitespaceForm):
    domain = HiddenField()


@bp.route("/secure-domains", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def secure_domains() -> Any:
    form = SecureDomainForm()
    if form.validate_on_submit():
        try:
            with transaction() as session:
                row = add_secure_domain(session, form.domain.data or "", current_user.id)
                audit.record("secure_domain_add", "secure_domain", row.domain)
        except InvalidInput as exc:
            add_problems(form, exc.fields)
        else:
            flash(
                f"{row.domain} is now a secure domain: its recipients get notices in full",
                "success",
            )
            return redirect(url_for(".secure_domains"))
    domains = db.session.scalars(select(SecureDomain).order_by(SecureDomain.domain)).all()
    return render_template(
        "views/directory/secure_domains.html", form=form, domains=domains, remove=RemoveDomainForm()
    )


@bp.post("/secure-domains/remove")
@roles_required(Role.ADMIN)
def remove_domain() -> Any:
    form = RemoveDomainForm()
    if form.validate_on_submit():
        with transaction() as session:
            removed = remove_secure_domain(session, form.domain.data or "")
            if removed:
                audit.record("secure_domain_remove", "secure_domain", form.domain.data)
        if removed:
            flash(f"{form.domain.data} is no longer a secure domain", "success")
    return redirect(url_for(".secure_domains"))
