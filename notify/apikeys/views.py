"""The administrator's API keys: list them, create one (shown once), revoke one.

Views parse the form, call one service function, commit once, and render or redirect.
"""

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import select

from models import ApiClient
from models.base import utcnow
from models.enums import Role
from notify import audit
from notify.apikeys.forms import NewKeyForm, RevokeForm
from notify.apikeys.service import (
    KeyRefused,
    UnknownKey,
    create_api_key,
    list_api_keys,
    revoke_api_key,
)
from notify.auth import roles_required
from notify.extensions import db
from notify.transaction import transaction

bp = Blueprint("apikeys", __name__, url_prefix="/api-keys")


@bp.after_request
def _not_cached(response: Any) -> Any:
    # The page that shows a new key must not linger in a browser's or a proxy's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
@roles_required(Role.ADMIN)
def index() -> Any:
    return render_template(
        "views/apikeys/list.html", keys=list_api_keys(db.session()), revoke_form=RevokeForm()
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new() -> Any:
    form = NewKeyForm()
    if form.validate_on_submit():
        try:
            with transaction() as session:
                created = create_api_key(
                    session,
                    authority_code=form.authority_code.data or "",
                    scopes=list(form.scopes.data or []),
                    name=form.name.data or "",
                    home_authority=current_app.config["HOME_AUTHORITY"],
                )
                session.flush()
                audit.record(
                    "api_key_create",
                    "api_client",
                    created.client.id,
                    prefix=created.client.key_prefix,
                    authority=created.client.authority_code,
                    scopes=created.client.scopes,
                )
        except KeyRefused as exc:
            field = form[exc.field]
            field.errors = [*field.errors, str(exc)]
        else:
            # Rendered, not redirected: the key exists nowhere but in this one response.
            return render_template(
                "views/apikeys/created.html", client=created.client, key=created.key
            )
    return render_template("views/apikeys/new.html", form=form)


@bp.post("/<prefix>/revoke")
@roles_required(Role.ADMIN)
def revoke(prefix: str) -> Any:
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction() as session:
            client, revoked = revoke_api_key(session, prefix, utcnow())
            if revoked:
                audit.record("api_key_revoke", "api_client", client.id, prefix=client.key_prefix)
    except UnknownKey:
        abort(404)
    message = "revoked" if revoked else "was already revoked"
    flash(f"Key {client.key_prefix} ({client.name}) {message}.", "success")
    return redirect(url_for(".index"))


@bp.get("/<prefix>/revoke")
@roles_required(Role.ADMIN)
def confirm_revoke(prefix: str) -> Any:
    client = db.session.scalar(select(ApiClient).where(ApiClient.key_prefix == prefix))
    if client is None:
        abort(404)
    return render_template("views/apikeys/revoke.html", client=client, form=RevokeForm())
