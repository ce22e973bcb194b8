"""The JSON shapes of "Notifications we sent" (API.md): a notification as its recipient sees
it, the list's filters, and the acknowledgement body."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from marshmallow import Schema, fields, pre_dump, validate

from models import Notification
from notify.notifications.acknowledge import About
from notify.web.fields import CodeNameSchema, RecipientSchema, Text

NAME_LENGTH = 200
EMAIL_LENGTH = 254
NOTE_LENGTH = 2000


class Awaiting(StrEnum):
    """The list's `status` filter, in the recipient's words rather than our outbox's."""

    AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement"
    ACKNOWLEDGED = "acknowledged"
    ALL = "all"


class NotificationQuerySchema(Schema):
    status = Text(
        load_default=Awaiting.ALL.value,
        validate=validate.OneOf(
            [a.value for a in Awaiting],
            error="Status must be awaiting_acknowledgement, acknowledged or all",
        ),
        metadata={
            "description": "Which notifications: those still to acknowledge, those "
            "acknowledged, or all (the default)"
        },
    )
    since = fields.AwareDateTime(
        load_default=None,
        metadata={
            "description": "Only notifications sent at or after this time (ISO 8601 with offset)"
        },
    )


class AcknowledgementInSchema(Schema):
    """Who is confirming receipt."""

    name = Text(
        required=True,
        validate=validate.Length(
            min=1,
            max=NAME_LENGTH,
            error=f"Enter the name of the person acknowledging it "
            f"(at most {NAME_LENGTH} characters)",
        ),
        metadata={"example": "Pat Duty-Manager"},
    )
    email = Text(
        load_default=None,
        allow_none=True,
        validate=[
            validate.Length(max=EMAIL_LENGTH, error=f"At most {EMAIL_LENGTH} characters"),
            validate.Email(error="Enter an email address in the correct format"),
        ],
        metadata={"example": "placements@nottscc.example.gov.uk"},
    )
    note = Text(
        multiline=True,
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=NOTE_LENGTH, error=f"At most {NOTE_LENGTH} characters"),
    )


class ChildReferenceSchema(Schema):
    initials = fields.String(required=True)
    case_reference = fields.String(required=True, metadata={"description": "Our case reference"})


class AcknowledgerSchema(Schema):
    name = fields.String(required=True)
    email = fields.String(allow_none=True)


class SentNotificationSchema(Schema):
    """A notification we sent, as its recipient may see it: never the child's name or date of
    birth, which the notice itself carries."""

    id = fields.String(required=True)
    event = fields.String(required=True)
    status = fields.String(
        required=True,
        metadata={
            "description": "sent, or acknowledged; one read by id that has not gone yet may be "
            "pending, sending, needs_address, failed or cancelled"
        },
    )
    send_by = fields.Date(required=True)
    recipient = fields.Nested(RecipientSchema, required=True)
    sent_at = fields.DateTime(allow_none=True)
    acknowledge_by = fields.Date(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    acknowledged_via = fields.String(allow_none=True, metadata={"enum": ["link", "api", "manual"]})
    acknowledged_by = fields.Nested(AcknowledgerSchema, allow_none=True)
    child = fields.Nested(
        ChildReferenceSchema,
        required=True,
        allow_none=True,
        metadata={"description": "null for a notice about several children (reconciliation)"},
    )
    placing_authority = fields.Nested(CodeNameSchema, required=True)

    @pre_dump
    def _from_notice(self, notice: "SentNotice", **kwargs: Any) -> dict[str, Any]:
        n, subject = notice.notification, notice.about
        return {
            "id": str(n.id),
            "event": n.event,
            "status": n.status,
            "send_by": n.send_by,
            "recipient": {
                "kind": n.recipient_kind,
                "role": n.recipient_role,
                "code": n.recipient_code,
                "name": n.recipient_name,
                "email": n.address,
            },
            "sent_at": n.sent_at,
            "acknowledge_by": n.acknowledge_by,
            "acknowledged_at": n.acknowledged_at,
            "acknowledged_via": n.acknowledged_via,
            "acknowledged_by": (
                {"name": n.acknowledged_by_name, "email": n.acknowledged_by_email}
                if n.acknowledged_by_name
                else None
            ),
            "child": (
                {"initials": subject.initials, "case_reference": subject.case_reference}
                if n.child_id is not None or n.inbound_notice_id is not None
                else None
            ),
            "placing_authority": {
                "code": subject.placing_authority_code,
                "name": notice.placing_authority_name,
            },
        }


class NoticeRowSchema(Schema):
    label = fields.String(required=True)
    value = fields.String(required=True)


class NoticeSectionSchema(Schema):
    heading = fields.String(required=True)
    rows = fields.List(fields.Nested(NoticeRowSchema), required=True)


class NoticeSchema(Schema):
    sections = fields.List(fields.Nested(NoticeSectionSchema), required=True)


class SentNotificationWithNoticeSchema(SentNotificationSchema):
    """One notification, with the notice itself: everything DOMAIN.md §4 says it carries."""

    notice = fields.Nested(
        NoticeSchema,
        allow_none=True,
        metadata={"description": "The full notice (null for one about no one placement)"},
    )

    @pre_dump
    def _from_notice(self, notice: "SentNotice", **kwargs: Any) -> dict[str, Any]:
        return {**super()._from_notice(notice), "notice": notice.notice}


@dataclass(frozen=True)
class SentNotice:
    """A notification with the name of the authority that placed its child."""

    notification: Notification
    about: About
    placing_authority_name: str
    notice: dict[str, Any] | None = None
