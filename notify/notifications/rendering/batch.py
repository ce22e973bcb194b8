"""A notification made into a message: subject, plain text and HTML, and the signed link at
which its recipient acknowledges it.

A recipient on a secure email domain (a directory setting) gets the notice in full
(DOMAIN.md §4); anyone else only our reference and the link. `load_notices` reads what a
batch of notifications needs in a few queries; `render` turns one into a message.

Reminders and escalations (notify/chasing) are messages about another notification: a reminder
goes to that notification's recipient and links to *its* acknowledgement page; an escalation
goes to our SQA managers and links to the child's page in the service.

Inbound (notify/register): a query asks a placing authority for what its notice lacks; a
reconciliation lists the children we believe it still has placed here; our own partners
(virtual school, looked-after children's health team) get a summary of each child placed here
and a link to the child's page. None of these carries a child's name unless the recipient's
domain is secure.
"""

from collections.abc import Iterable
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from models import (
    Child,
    InboundNotice,
    Notification,
    Placement,
)
from models.enums import CHASE_EVENTS, Event, NotificationStatus
from notify.calendar import CalendarRangeError, today_uk, uk_date
from notify.notifications.calendars import working_day_calendars
from notify.notifications.channels.base import OutgoingMessage
from notify.notifications.rendering.directory import Directory
from notify.notifications.rendering.message import Chased, Notice, Query, Reconciliation, render
from notify.notifications.rendering.sections import (
    for_partner,
    initials,
    partner_rows,
    query_rows,
    reconciled,
    sections,
)

# --- the acknowledgement link ----------------------------------------------------------------


# --- what a notice says ----------------------------------------------------------------------


def render_notification(session: Session, notification_id: int) -> OutgoingMessage:
    """The message for one notification."""
    notice = load_notices(session, [notification_id])[notification_id]
    if isinstance(notice, Exception):
        raise notice
    return render(notice)


# --- reading a batch -------------------------------------------------------------------------


def load_notices(
    session: Session, notification_ids: Iterable[int]
) -> dict[int, Notice | Exception]:
    """The notices for these notifications, read in a few queries. A notification whose notice
    cannot be made maps to the error, so one bad row does not hold up the others."""
    notifications = session.scalars(
        select(Notification)
        .where(Notification.id.in_(list(notification_ids)))
        .options(
            selectinload(Notification.placement),
            selectinload(Notification.child).selectinload(Child.contacts),
            selectinload(Notification.child).selectinload(Child.placements),
            selectinload(Notification.reminder_of),
        )
    ).all()
    originals = [n.reminder_of for n in notifications if n.reminder_of is not None]
    inbound = _Inbound(session, notifications)
    directory = Directory(session, [*notifications, *originals], inbound.authority_codes)
    chases = _Chases(session, notifications, directory) if originals else None
    notices: dict[int, Notice | Exception] = {}
    for notification in notifications:
        try:
            notices[notification.id] = _notice(notification, directory, chases, inbound)
        except SQLAlchemyError:
            raise  # the database, not this notice
        except Exception as exc:
            notices[notification.id] = exc
    return notices


class _Chases:
    """What the reminders and escalations of a batch say about the notifications they chase."""

    def __init__(
        self, session: Session, notifications: Iterable[Notification], directory: Directory
    ) -> None:
        self.directory = directory
        self.calendars = working_day_calendars(session)
        escalated = [
            n.reminder_of_id
            for n in notifications
            if n.event == Event.ESCALATION and n.reminder_of_id is not None
        ]
        self.reminders: dict[int, int] = {}
        if escalated:
            counted = session.execute(
                select(Notification.reminder_of_id, func.count())
                .where(
                    Notification.reminder_of_id.in_(escalated),
                    Notification.event == Event.REMINDER,
                    Notification.status != NotificationStatus.CANCELLED,
                )
                .group_by(Notification.reminder_of_id)
            )
            self.reminders = {
                original_id: count for original_id, count in counted if original_id is not None
            }

    def chased(self, notification: Notification) -> Chased:
        original = notification.reminder_of
        assert original is not None
        overdue = None
        if original.acknowledge_by is not None:
            calendar = self.calendars[self.directory.division(original)]
            try:
                overdue = calendar.count(original.acknowledge_by, notification.send_by)
            except CalendarRangeError:
                overdue = None
        assert original.child_id is not None  # only notices about a child are chased
        return Chased(
            notification_id=original.id,
            event=Event(original.event),
            recipient_name=original.recipient_name,
            sent_on=uk_date(original.sent_at) if original.sent_at else None,
            acknowledge_by=original.acknowledge_by,
            overdue_days=overdue,
            reminders_sent=self.reminders.get(original.id, 0),
            child_id=original.child_id,
        )


class _Inbound:
    """What a batch's queries and reconciliations say: the inbound notices queried, and the
    children each placing authority asked to reconcile has placed here now."""

    def __init__(self, session: Session, notifications: Iterable[Notification]) -> None:
        batch = list(notifications)
        self.home = str(current_app.config["HOME_AUTHORITY"])
        queried = {
            n.inbound_notice_id
            for n in batch
            if n.event == Event.QUERY and n.inbound_notice_id is not None
        }
        self.notices: dict[int, InboundNotice] = {}
        if queried:
            self.notices = {
                notice.id: notice
                for notice in session.scalars(
                    select(InboundNotice).where(InboundNotice.id.in_(queried))
                )
            }
        placing = {
            n.recipient_code
            for n in batch
            if n.event == Event.RECONCILIATION and n.recipient_code is not None
        }
        self.children: dict[str, list[tuple[Child, Placement]]] = {}
        if placing:
            # the list as it stands when the message is made: what we believe on sending
            today = today_uk()
            rows = session.execute(
                select(Child, Placement)
                .join(Placement, Placement.child_id == Child.id)
                .where(
                    Child.responsible_authority_code.in_(placing),
                    Placement.host_authority_code == self.home,
                    Placement.open_on(today),
                )
                .order_by(Placement.start_date, Child.case_reference, Child.id)
            ).all()
            for child, placement in rows:
                self.children.setdefault(child.responsible_authority_code, []).append(
                    (child, placement)
                )
        self.authority_codes = (
            {self.home} | placing | {n.placing_authority_code for n in self.notices.values()}
        )

    def notice(self, notification: Notification, directory: Directory) -> Notice:
        secure = directory.secure(notification)
        host = directory.authority_name(self.home)
        common: dict[str, Any] = {
            "notification_id": notification.id,
            "event": Event(notification.event),
            "address": notification.address,
            "message_id": notification.message_id,
            "recipient_name": notification.recipient_name,
            "secure": secure,
            "division": directory.division(notification),
        }
        if notification.event == Event.QUERY:
            inbound = self.notices.get(notification.inbound_notice_id or 0)
            if inbound is None:
                raise ValueError("The query names no inbound notice")
            child = inbound.payload.get("child") or {}
            return Notice(
                **common,
                case_reference=str(child.get("placing_authority_child_id") or ""),
                initials=initials(child),
                placing_authority=directory.authority_name(inbound.placing_authority_code),
                query=Query(
                    notice_reference=inbound.reference,
                    notice_event=Event(inbound.notice_type),
                    received_on=uk_date(inbound.received_at),
                    question=inbound.decision_note or "",
                    host=host,
                    rows=query_rows(inbound.payload, secure),
                ),
            )
        code = notification.recipient_code or ""
        return Notice(
            **common,
            case_reference="",
            initials="",
            placing_authority=directory.authority_name(code),
            reconciliation=Reconciliation(
                host=host,
                children=tuple(
                    reconciled(child, placement, secure)
                    for child, placement in self.children.get(code, [])
                ),
            ),
        )


def _notice(
    notification: Notification,
    directory: Directory,
    chases: _Chases | None = None,
    inbound: "_Inbound | None" = None,
) -> Notice:
    if not notification.address:
        raise ValueError("The notification has no address")
    if notification.event in (Event.QUERY, Event.RECONCILIATION):
        if inbound is None:
            raise ValueError(f"The {notification.event} needs the inbound notices read")
        return inbound.notice(notification, directory)
    child = notification.child
    if child is None:
        raise ValueError("The notification names no child")
    placing = directory.authority_name(child.responsible_authority_code)
    secure = directory.secure(notification)
    chased = None
    if notification.event in CHASE_EVENTS:
        if chases is None or notification.reminder_of is None:
            raise ValueError(f"The {notification.event} names no notification it chases")
        chased = chases.chased(notification)
    return Notice(
        notification_id=notification.id,
        event=Event(notification.event),
        address=notification.address,
        message_id=notification.message_id,
        recipient_name=notification.recipient_name,
        case_reference=child.case_reference,
        initials=child.initials,
        placing_authority=placing,
        secure=secure,
        division=directory.division(notification),
        sections=sections(notification, child, placing, directory) if secure else (),
        chased=chased,
        summary=partner_rows(notification, child, placing) if for_partner(notification) else (),
        child_id=child.id,
    )


# --- the notice in full (DOMAIN.md §4) -------------------------------------------------------
