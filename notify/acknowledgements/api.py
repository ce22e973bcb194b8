"""Notifications we sent, for the authorities we sent them to (API.md, "Notifications we
sent"): list and read them, and acknowledge one.

A key sees only the notifications addressed to its own authority; any other is "not found",
so the API never reveals another authority's. Reminders are not listed: they chase a
notification, which is the one to acknowledge.
"""

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from models import Authority, Notification
from models.enums import CHASE_EVENTS, AckVia, RecipientKind
from models.enums import NotificationStatus as Status
from notify import audit
from notify.acknowledgements.notice import full_notice, notice_body
from notify.acknowledgements.schemas import (
    AcknowledgementInSchema,
    Awaiting,
    NotificationQuerySchema,
    SentNotice,
    SentNotificationSchema,
    SentNotificationWithNoticeSchema,
)
from notify.apikit import current_client, fail, page_of, require_scope
from notify.extensions import db
from notify.notifications.acknowledge import (
    CannotAcknowledge,
    about,
    acknowledge_notification,
    original_of,
)
from notify.transaction import transaction
from notify.web.converters import row_id

READ, ACK = "notifications:read", "notifications:ack"
STATUSES = {
    Awaiting.AWAITING_ACKNOWLEDGEMENT: (Status.SENT,),
    Awaiting.ACKNOWLEDGED: (Status.ACKNOWLEDGED,),
    Awaiting.ALL: (Status.SENT, Status.ACKNOWLEDGED),
}

blp = Blueprint(
    "notifications_api",
    __name__,
    url_prefix="/api/v1/notifications",
    description="Notifications we sent to your authority: read them and acknowledge them.",
)


def _addressed_to_caller() -> Select[Any]:
    """The notifications addressed to the caller's authority, whatever their status (the list
    shows only those sent; one read by id that has not gone yet says so)."""
    return (
        select(Notification)
        .where(
            Notification.recipient_kind == RecipientKind.AUTHORITY,
            Notification.recipient_code == current_client().authority_code,
            Notification.event.not_in(list(CHASE_EVENTS)),
        )
        .options(selectinload(Notification.child), selectinload(Notification.inbound_notice))
    )


@blp.route("")
class Notifications(MethodView):
    @require_scope(READ)
    @blp.arguments(NotificationQuerySchema, location="query")
    @blp.response(200, SentNotificationSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[SentNotice]:
        """List the notifications we sent you, oldest first

        `status=awaiting_acknowledgement` gives those still to acknowledge.
        """
        statement = _addressed_to_caller().where(
            Notification.status.in_(STATUSES[Awaiting(query["status"])])
        )
        if query["since"] is not None:
            statement = statement.where(Notification.sent_at >= query["since"])
        with transaction():
            notifications = page_of(
                statement.order_by(Notification.sent_at, Notification.id), pagination_parameters
            )
            audit.record(
                "api_notification_list",
                "notification",
                None,
                status=query["status"],
                notification_ids=[n.id for n in notifications],
            )
        return _notices(notifications)


@blp.route("/<notification_id>")
class OneNotification(MethodView):
    @require_scope(READ)
    @blp.response(200, SentNotificationWithNoticeSchema)
    def get(self, notification_id: str) -> SentNotice:
        """Read one notification we sent you, with the notice in full"""
        notification = _callers(notification_id)
        found = full_notice(db.session(), original_of(db.session(), notification.id))
        with transaction(keep_loaded=True):
            audit.record("api_notification_view", "notification", notification.id)
        return replace(_notices([notification])[0], notice=notice_body(found) if found else None)


@blp.route("/<notification_id>/acknowledgement")
class Acknowledgement(MethodView):
    @require_scope(ACK)
    @blp.arguments(AcknowledgementInSchema)
    @blp.response(200, SentNotificationSchema)
    @blp.alt_response(409, description="The notification has not been sent yet")
    def post(self, body: dict[str, Any], notification_id: str) -> SentNotice:
        """Acknowledge a notification we sent you

        Acknowledging one already acknowledged changes nothing and answers as the first did.
        """
        notification = _callers(notification_id)
        try:
            with transaction() as session:
                notification = acknowledge_notification(
                    session,
                    notification.id,
                    via=AckVia.API,
                    name=body["name"],
                    email=body["email"],
                    note=body["note"],
                )
        except CannotAcknowledge as exc:
            fail(409, str(exc), code="not_sent")
        return _notices([notification])[0]


def _callers(notification_id: str) -> Notification:
    number = row_id(notification_id)
    notification = (
        db.session.scalar(_addressed_to_caller().where(Notification.id == number))
        if number is not None
        else None
    )
    if notification is None:
        fail(404, "There is no notification with that id.")
    return notification


def _notices(notifications: Iterable[Notification]) -> list[SentNotice]:
    subjects = [(n, about(n)) for n in notifications]
    codes = {subject.placing_authority_code for _, subject in subjects}
    names: dict[str, str] = {
        code: name
        for code, name in db.session.execute(
            select(Authority.code, Authority.name).where(Authority.code.in_(codes))
        )
    }
    return [
        SentNotice(
            n, subject, names.get(subject.placing_authority_code, subject.placing_authority_code)
        )
        for n, subject in subjects
    ]
