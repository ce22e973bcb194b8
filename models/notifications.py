"""The outbox: one notification per (event, recipient), and each attempt to deliver it."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import (
    AckVia,
    Channel,
    Event,
    NotificationStatus,
    RecipientKind,
    RecipientRole,
    check_in,
)

# Written out (not bound parameters) so that the planners match queries to the partial index.
AWAITING = "status = 'sent' AND event IN ('placement_start', 'address_change', 'placement_end')"


def notice_reference(notification_id: int) -> str:
    """Our reference for a notice, as its recipient quotes it (and the federation's idempotency
    key): "PN-" and the notification's id."""
    return f"PN-{notification_id}"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(check_in("event", Event), name="event"),
        CheckConstraint(check_in("status", NotificationStatus), name="status"),
        CheckConstraint(check_in("recipient_kind", RecipientKind), name="recipient_kind"),
        CheckConstraint(check_in("recipient_role", RecipientRole), name="recipient_role"),
        CheckConstraint(check_in("channel", Channel), name="channel"),
        CheckConstraint(
            f"acknowledged_via IS NULL OR {check_in('acknowledged_via', AckVia)}",
            name="acknowledged_via",
        ),
        Index("ix_notifications_status_due", "status", "next_attempt_at"),
        Index("ix_notifications_recipient", "recipient_kind", "recipient_code"),
        Index("ix_notifications_status_acknowledge_by", "status", "acknowledge_by"),
        Index("ix_notifications_sent_at", "sent_at"),
        # the dashboard's: overdue statutory notices (reminders stay "sent" for ever), and the
        # notices sent to authorities over a year
        Index("ix_notifications_status_acknowledge_by_event", "status", "acknowledge_by", "event"),
        Index("ix_notifications_recipient_kind_sent_at", "recipient_kind", "sent_at"),
        # statutory notices awaiting acknowledgement, in chase-list order: the reminders,
        # which stay "sent" for ever, are left out of the index rather than skipped in it
        Index(
            "ix_notifications_awaiting",
            "acknowledge_by",
            "id",
            postgresql_where=text(AWAITING),
            sqlite_where=text(AWAITING),
        ),
        # the n-th reminder (or escalation) of a notification exists once, however often
        # and however concurrently the chaser runs
        UniqueConstraint("reminder_of_id", "event", "chase_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every notice is about a child and placement, but for a query on an inbound notice not
    # yet accepted (inbound_notice_id) and a reconciliation request (listing many children).
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id"), index=True)
    inbound_notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_notices.id"), index=True
    )
    event: Mapped[str] = mapped_column(String(20))
    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient_role: Mapped[str] = mapped_column(String(30))
    # ONS code for authorities and health bodies, contact id for contacts, a name for internal.
    recipient_code: Mapped[str | None] = mapped_column(String(40))
    recipient_name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(10), default=Channel.EMAIL)
    address: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=NotificationStatus.PENDING)
    send_by: Mapped[date]
    acknowledge_by: Mapped[date | None]
    attempts: Mapped[int] = mapped_column(default=0)
    # When a pending row is next due. While a row is `sending` it is the end of the worker's
    # lease: a row still `sending` after it was lost with its worker and is claimed again.
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))  # the worker sending it
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # status withheld: the reg 13(3) decision, "who decided, on what day: why"
    withheld_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_via: Mapped[str | None] = mapped_column(String(10))
    acknowledged_by_name: Mapped[str | None] = mapped_column(String(200))
    acknowledged_by_email: Mapped[str | None] = mapped_column(String(254))
    acknowledgement_note: Mapped[str | None] = mapped_column(Text)
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_on: Mapped[date | None]
    escalated_at: Mapped[datetime | None]
    # Reminders and escalations: the notification they chase, and which one of them this is.
    reminder_of_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"), index=True)
    chase_number: Mapped[int | None]
    # Delivered by posting to another authority's Placement Notify: its id for the notice.
    remote_id: Mapped[str | None] = mapped_column(String(40))
    # Why a notice was due before it could be sent, e.g. "recorded late in the case system".
    late_reason: Mapped[str | None] = mapped_column(String(200))

    child = relationship("Child")
    placement = relationship("Placement")
    reminder_of: Mapped["Notification | None"] = relationship(remote_side=[id])
    inbound_notice = relationship("InboundNotice")
    attempts_made: Mapped[list["DeliveryAttempt"]] = relationship(
        back_populates="notification", order_by="DeliveryAttempt.id"
    )

    @property
    def message_id(self) -> str:
        """A stable Message-ID, so a resend after a crash is recognisably the same message."""
        return f"<notification-{self.id}@placement-notify>"

    @property
    def reference(self) -> str:
        return notice_reference(self.id)


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempts"
    __table_args__ = (
        CheckConstraint("outcome IN ('sent', 'transient', 'permanent')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(10))
    error: Mapped[str | None] = mapped_column(Text)

    notification: Mapped[Notification] = relationship(back_populates="attempts_made")
