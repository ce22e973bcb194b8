"""Inbound notices (API.md, "Inbound notices"): another authority tells us of a child it
places in our area, and reads back what became of its notices.

A key sees only its own authority's notices; any other is "not found", so the API never
reveals another authority's records. Every call is audited with the key's prefix and
rate-limited per key.
"""

from typing import Any

from flask import current_app, g, request, url_for
from flask.views import MethodView
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from models import InboundNotice
from models.base import utcnow
from notify import audit
from notify.apikit import current_client, fail, fail_validation, page_of, require_scope
from notify.extensions import db, limiter
from notify.inbound.schemas import (
    InboundNoticeInSchema,
    InboundNoticeQuerySchema,
    InboundNoticeSchema,
)
from notify.inbound.service import (
    NoticeProblems,
    ReferenceConflict,
    WrongAuthority,
    get_notice,
    notices_of,
    receive_notice,
)
from notify.transaction import transaction
from notify.web.converters import row_id

SCOPE = "inbound:write"
DEFAULT_RATE_LIMIT = "120/minute"

blp = Blueprint(
    "inbound_api",
    __name__,
    url_prefix="/api/v1/inbound-notices",
    description="Notices from other authorities of children they place in our area.",
)


def _rate_limit() -> str:
    return str(current_app.config.get("INBOUND_RATE_LIMIT", DEFAULT_RATE_LIMIT))


def _key_prefix() -> str:
    # Runs after require_scope has authenticated the key, so the bucket is the key's own.
    return g.get("api_key_prefix") or get_remote_address()


# One budget per key across every inbound call, whatever the method.
per_key = limiter.shared_limit(_rate_limit, scope="inbound-api", key_func=_key_prefix)


@blp.route("")
class Notices(MethodView):
    @require_scope(SCOPE)
    @per_key
    @blp.arguments(InboundNoticeInSchema)
    @blp.response(201, InboundNoticeSchema)
    @blp.alt_response(200, schema=InboundNoticeSchema, description="The same notice posted before")
    @blp.alt_response(409, description="The reference was used for a different notice")
    @blp.alt_response(429, description="Too many requests from this key: see Retry-After")
    def post(self, payload: dict[str, Any]) -> Any:
        """Post a notice of a child placed in our area

        A retry with the same reference and the same body (whatever its key order or
        whitespace) answers 200 with the notice stored the first time.
        """
        client = current_client()
        try:
            with transaction() as session:
                received = receive_notice(
                    session,
                    client,
                    request.get_data(cache=True).decode("utf-8"),
                    payload,
                    utcnow(),
                    home_authority=current_app.config["HOME_AUTHORITY"],
                )
                audit.record(
                    "api_inbound_receive" if received.created else "api_inbound_retry",
                    "inbound_notice",
                    received.notice.id,
                    reference=received.notice.reference,
                )
        except NoticeProblems as exc:
            fail_validation(exc.fields)
        except WrongAuthority as exc:
            _refused("wrong_authority", claimed=payload["placing_authority"])
            fail(403, str(exc))
        except ReferenceConflict as exc:
            _refused("reference_conflict", notice_id=exc.notice.id)
            fail(
                409,
                f"You sent a different notice with the reference {payload['reference']} "
                "before. Use a new reference for a new notice.",
                code="reference_conflict",
            )
        except IntegrityError:
            fail(409, "Someone else recorded this at the same moment. Read it again and retry.")
        notice = received.notice
        location = url_for("inbound_api.OneNotice", notice_id=str(notice.id))
        return notice, 201 if received.created else 200, {"Location": location}

    @require_scope(SCOPE)
    @per_key
    @blp.arguments(InboundNoticeQuerySchema, location="query")
    @blp.response(200, InboundNoticeSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[InboundNotice]:
        """List the notices you posted, oldest first

        With `since`, only those received or decided since then: poll with the time of
        your last call to learn of decisions.
        """
        statement = notices_of(current_client().authority_code, query["since"])
        with transaction():
            notices = page_of(statement, pagination_parameters)
            audit.record(
                "api_inbound_list", "inbound_notice", None, notice_ids=[n.id for n in notices]
            )
        return notices


@blp.route("/<notice_id>")
class OneNotice(MethodView):
    @require_scope(SCOPE)
    @per_key
    @blp.response(200, InboundNoticeSchema)
    def get(self, notice_id: str) -> InboundNotice:
        """Read a notice you posted: its status and, once decided, when, by whom and why"""
        number = row_id(notice_id)
        notice = (
            get_notice(db.session(), current_client().authority_code, number)
            if number is not None
            else None
        )
        if notice is None:
            fail(404, "There is no notice with that id.")
        with transaction(keep_loaded=True):
            audit.record("api_inbound_view", "inbound_notice", notice.id)
        return notice


def _refused(reason: str, **detail: Any) -> None:
    """Audit a refusal that touched another authority's claim or a stored notice."""
    with transaction(keep_loaded=True):
        audit.record("api_inbound_refused", "inbound_notice", None, reason=reason, **detail)
