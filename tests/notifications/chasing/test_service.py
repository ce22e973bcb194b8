"""The chaser: which reminders and escalation are due on which working day, written once."""

import logging
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models import Notification
from models.enums import Event
from models.enums import NotificationStatus as Status
from notify.calendar import CalendarRangeError
from notify.notifications import outbox
from notify.notifications.chasing import (
    SQA_MANAGERS,
    CannotRemind,
    ChaseSettings,
    chase,
    overdue_notifications,
    reminder_due,
    send_reminder_now,
)
from tests.support.builders import (
    CHASE_SETTINGS,
    EDINBURGH,
    HEREFORDSHIRE,
    create_reminder,
    create_sent_notice,
    create_sqa_managers,
    create_user,
)
from tests.support.queries import chases_of

NOW = datetime(2026, 12, 21, 7, 0, tzinfo=UTC)

R, E = "reminder", "escalation"


@pytest.mark.parametrize(
    ("overdue_days", "latest_reminder"),
    [(0, 0), (1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (11, 3), (15, 3), (16, 3), (40, 3)],
)
def test_reminder_k_falls_due_at_one_plus_k_minus_one_times_the_interval(
    overdue_days: int, latest_reminder: int
) -> None:
    assert reminder_due(overdue_days, CHASE_SETTINGS) == latest_reminder


# (recipient, acknowledge by, chase on, what the first chase writes). Acknowledge-by dates
# are in the recipient's division; bank holidays from seeds/bank_holidays.csv.
FIRST_CHASE = [
    # England and Wales: Christmas Day Fri 25 Dec, Boxing Day Mon 28 Dec, 1 Jan 2027 (Fri)
    (HEREFORDSHIRE, date(2026, 12, 18), date(2026, 12, 18), []),  # due today: not overdue
    (HEREFORDSHIRE, date(2026, 12, 18), date(2026, 12, 19), []),  # a Saturday: d = 0
    (HEREFORDSHIRE, date(2026, 12, 18), date(2026, 12, 21), [(R, 1)]),  # d = 1
    (HEREFORDSHIRE, date(2026, 12, 18), date(2026, 12, 28), [(R, 1)]),  # Boxing Day: d = 4
    (HEREFORDSHIRE, date(2026, 12, 18), date(2026, 12, 29), [(R, 1)]),  # d = 5
    (HEREFORDSHIRE, date(2026, 12, 18), date(2026, 12, 30), [(R, 2)]),  # d = 6
    (HEREFORDSHIRE, date(2026, 12, 18), date(2027, 1, 5), [(R, 2)]),  # d = 9 over New Year
    (HEREFORDSHIRE, date(2026, 12, 18), date(2027, 1, 6), [(R, 2), (E, 1)]),  # d = 10
    (HEREFORDSHIRE, date(2026, 12, 18), date(2027, 1, 7), [(R, 3), (E, 1)]),  # d = 11
    # St Andrew's Day, Monday 30 November 2026: a working day in England, not in Scotland
    (HEREFORDSHIRE, date(2026, 11, 27), date(2026, 11, 30), [(R, 1)]),
    (EDINBURGH, date(2026, 11, 27), date(2026, 11, 30), []),
    (EDINBURGH, date(2026, 11, 27), date(2026, 12, 1), [(R, 1)]),
    # 2 January falls on a Saturday in 2027: Scotland's holiday is Monday 4 January
    (HEREFORDSHIRE, date(2026, 12, 24), date(2027, 1, 5), [(R, 1)]),  # d = 5
    (EDINBURGH, date(2026, 12, 24), date(2027, 1, 5), [(R, 1)]),  # d = 4
    (HEREFORDSHIRE, date(2026, 12, 24), date(2027, 1, 6), [(R, 2)]),  # d = 6
    (EDINBURGH, date(2026, 12, 24), date(2027, 1, 6), [(R, 1)]),  # d = 5
    (HEREFORDSHIRE, date(2026, 12, 24), date(2027, 1, 12), [(R, 2), (E, 1)]),  # d = 10
    (EDINBURGH, date(2026, 12, 24), date(2027, 1, 12), [(R, 2)]),  # d = 9
    (EDINBURGH, date(2026, 12, 24), date(2027, 1, 13), [(R, 2), (E, 1)]),  # d = 10
]


@pytest.mark.parametrize(("recipient", "acknowledge_by", "today", "written"), FIRST_CHASE)
def test_the_first_chase_writes_the_latest_reminder_due_in_the_recipients_working_days(
    db_session: Session,
    recipient: str,
    acknowledge_by: date,
    today: date,
    written: list[tuple[str, int]],
) -> None:
    create_sqa_managers(db_session)
    notice = create_sent_notice(db_session, acknowledge_by, recipient)

    chase(db_session, today, CHASE_SETTINGS, now=NOW)

    assert [(event, number) for event, number, _ in chases_of(db_session, notice)] == written
    db_session.refresh(notice)
    reminders = [number for event, number in written if event == R]
    assert notice.reminders_sent == (reminders[0] if reminders else 0)
    assert notice.last_reminded_on == (today if reminders else None)
    assert notice.escalated_at == (NOW if (E, 1) in written else None)


def test_reminders_follow_every_five_working_days_then_stop_at_the_limit(
    db_session: Session,
) -> None:
    create_sqa_managers(db_session)
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    days = {
        date(2026, 12, 21): [(R, 1)],  # d = 1
        date(2026, 12, 22): [(R, 1)],  # d = 2: nothing new
        date(2026, 12, 30): [(R, 1), (R, 2)],  # d = 6
        date(2027, 1, 6): [(R, 1), (R, 2), (E, 1)],  # d = 10
        date(2027, 1, 7): [(R, 1), (R, 2), (R, 3), (E, 1)],  # d = 11
        date(2027, 1, 14): [(R, 1), (R, 2), (R, 3), (E, 1)],  # d = 16: limit reached
        date(2027, 2, 15): [(R, 1), (R, 2), (R, 3), (E, 1)],
    }
    for today, expected in days.items():
        chase(db_session, today, CHASE_SETTINGS, now=NOW)
        assert [(e, n) for e, n, _ in chases_of(db_session, notice)] == expected, today
    db_session.refresh(notice)
    assert notice.reminders_sent == 3


def test_a_notice_acknowledged_between_chases_is_not_chased_again(db_session: Session) -> None:
    create_sqa_managers(db_session)
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    chase(db_session, date(2026, 12, 21), CHASE_SETTINGS, now=NOW)
    outbox.change_status(db_session, notice.id, Status.ACKNOWLEDGED, acknowledged_via="link")

    done = chase(db_session, date(2027, 1, 7), CHASE_SETTINGS, now=NOW)

    assert [(e, n) for e, n, _ in chases_of(db_session, notice)] == [(R, 1)]
    assert done.written == 0


@pytest.mark.parametrize(
    ("event", "chased"),
    [
        # regs 13 and 14: the notices a recipient must acknowledge
        (Event.PLACEMENT_START, True),
        (Event.ADDRESS_CHANGE, True),
        (Event.PLACEMENT_END, True),
        # our own alert, and a reminder itself: nothing for anyone to acknowledge
        (Event.SQA_ALERT, False),
        (Event.REMINDER, False),
    ],
)
def test_only_the_statutory_notices_are_chased(
    db_session: Session, event: Event, chased: bool
) -> None:
    """The same sent notice, a working day past its acknowledge-by date (Friday 18 December
    2026, chased on Monday 21st), differing only in its event."""
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    notice.event = event
    db_session.flush()

    chase(db_session, date(2026, 12, 21), CHASE_SETTINGS, now=NOW)

    first_reminder = [("reminder", 1)]
    assert [(e, n) for e, n, _ in chases_of(db_session, notice)] == (
        first_reminder if chased else []
    )


def test_chasing_twice_the_same_day_writes_nothing_the_second_time(db_session: Session) -> None:
    create_sqa_managers(db_session)
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    first = chase(db_session, date(2027, 1, 6), CHASE_SETTINGS, now=NOW)

    second = chase(db_session, date(2027, 1, 6), CHASE_SETTINGS, now=NOW)

    assert (first.reminders, first.escalations) >= (1, 1)
    assert (second.written, second.already_written) == (0, 0)
    assert [(e, n) for e, n, _ in chases_of(db_session, notice)] == [(R, 2), (E, 1)]


def test_a_reminder_already_written_by_another_chaser_is_left_alone_without_an_error(
    db_session: Session,
) -> None:
    """The unique constraint as the backstop: a chaser that did not see the other's update
    of the original still writes no second copy."""
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    create_reminder(db_session, notice, send_by=date(2026, 12, 21))

    done = chase(db_session, date(2026, 12, 21), CHASE_SETTINGS, now=NOW)

    assert (done.reminders, done.already_written) == (0, 1)
    assert len(chases_of(db_session, notice)) == 1
    db_session.refresh(notice)
    assert notice.reminders_sent == 1  # and not tried again tomorrow


def test_a_reminder_goes_to_the_notices_own_recipient_and_address_due_at_once(
    db_session: Session,
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))

    chase(db_session, date(2026, 12, 21), CHASE_SETTINGS, now=NOW)

    reminder = db_session.scalars(
        select(Notification).where(Notification.reminder_of_id == notice.id)
    ).one()
    assert (
        reminder.child_id,
        reminder.placement_id,
        reminder.recipient_kind,
        reminder.recipient_role,
        reminder.recipient_code,
        reminder.recipient_name,
        reminder.address,
    ) == (
        notice.child_id,
        notice.placement_id,
        notice.recipient_kind,
        notice.recipient_role,
        notice.recipient_code,
        notice.recipient_name,
        notice.address,
    )
    assert (reminder.status, reminder.send_by, reminder.next_attempt_at) == (
        Status.PENDING,
        date(2026, 12, 21),
        NOW,
    )


def test_the_escalation_goes_to_our_sqa_managers_inbox(db_session: Session) -> None:
    managers = create_sqa_managers(db_session)
    notice = create_sent_notice(db_session, date(2026, 12, 18))

    chase(db_session, date(2027, 1, 6), CHASE_SETTINGS, now=NOW)

    escalation = db_session.scalars(
        select(Notification).where(
            Notification.reminder_of_id == notice.id, Notification.event == Event.ESCALATION
        )
    ).one()
    assert (
        escalation.recipient_kind,
        escalation.recipient_role,
        escalation.recipient_code,
        escalation.address,
        escalation.status,
        escalation.child_id,
    ) == ("internal", "sqa_manager", str(managers.id), managers.email, "pending", notice.child_id)


def test_an_escalation_waits_for_an_address_until_the_directory_has_our_sqa_managers(
    db_session: Session,
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))

    done = chase(db_session, date(2027, 1, 6), CHASE_SETTINGS, now=NOW)
    escalation = db_session.scalars(
        select(Notification).where(
            Notification.reminder_of_id == notice.id, Notification.event == Event.ESCALATION
        )
    ).one()
    assert (escalation.status, escalation.recipient_name, escalation.address) == (
        Status.NEEDS_ADDRESS,
        SQA_MANAGERS,
        None,
    )
    assert done.awaiting_address >= 1

    managers = create_sqa_managers(db_session)
    released = outbox.address_added(db_session, "contact", str(managers.id), now=NOW)

    assert escalation.id in released
    db_session.refresh(escalation)
    assert (escalation.status, escalation.address, escalation.recipient_code) == (
        Status.PENDING,
        managers.email,
        str(managers.id),
    )


def test_a_day_without_bank_holidays_loaded_is_refused(db_session: Session) -> None:
    with pytest.raises(CalendarRangeError):
        chase(db_session, date(2035, 1, 8), CHASE_SETTINGS, now=NOW)


def test_the_chaser_logs_counts_and_never_a_childs_name(
    db_session: Session, chase_logs: pytest.LogCaptureFixture
) -> None:
    create_sent_notice(db_session, date(2026, 12, 18), given_name="Philippa", family_name="Quist")

    chase(db_session, date(2026, 12, 21), CHASE_SETTINGS, now=NOW)

    records = [r for r in chase_logs.records if r.name == "notify.notifications.chasing"]
    assert records and records[-1].levelno == logging.INFO
    assert records[-1].__dict__["reminders"] >= 1
    logged = " ".join(r.getMessage() + repr(r.__dict__) for r in records)
    assert "Philippa" not in logged and "Quist" not in logged


def test_settings_come_from_the_configuration_with_defaults() -> None:
    assert ChaseSettings.from_config({}) == ChaseSettings()
    assert ChaseSettings.from_config(
        {
            "REMINDER_EVERY_WORKING_DAYS": "3",
            "ESCALATE_AFTER_WORKING_DAYS": 7,
            "REMINDER_LIMIT": "2",
            "HOME_AUTHORITY": "E10000034",
        }
    ) == ChaseSettings(reminder_every=3, escalate_after=7, reminder_limit=2)


# --- "send a reminder now" ------------------------------------------------------------------


def test_a_reminder_now_takes_the_next_number_whatever_the_schedule(db_session: Session) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    user = create_user(db_session, "sqa_officer")
    chase(db_session, date(2026, 12, 21), CHASE_SETTINGS, now=NOW)

    first = send_reminder_now(db_session, notice.id, user=user, today=date(2026, 12, 21), now=NOW)
    second = send_reminder_now(db_session, notice.id, user=user, today=date(2026, 12, 22), now=NOW)

    assert (first.chase_number, second.chase_number) == (2, 3)
    assert (first.status, first.address) == (Status.PENDING, notice.address)
    db_session.refresh(notice)
    assert (notice.reminders_sent, notice.last_reminded_on) == (3, date(2026, 12, 22))
    # the schedule counts them: reminder 3 is not written again when it falls due
    chase(db_session, date(2027, 1, 7), CHASE_SETTINGS, now=NOW)
    assert [n for e, n, _ in chases_of(db_session, notice) if e == R] == [1, 2, 3]


def test_a_reminder_now_may_be_sent_before_the_notice_is_overdue(db_session: Session) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    user = create_user(db_session, "sqa_officer")

    reminder = send_reminder_now(db_session, notice.id, user=user, today=date(2026, 12, 16))

    assert reminder.chase_number == 1


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (Status.ACKNOWLEDGED, Event.PLACEMENT_START),
        (Status.PENDING, Event.PLACEMENT_START),
        (Status.SENT, Event.SQA_ALERT),
    ],
)
def test_a_reminder_now_is_refused_for_a_notice_not_awaiting_acknowledgement(
    db_session: Session, status: Status, event: Event
) -> None:
    notice = create_sent_notice(db_session, date(2026, 12, 18))
    notice.status, notice.event = status, event
    db_session.flush()
    user = create_user(db_session, "sqa_officer")

    with pytest.raises(CannotRemind):
        send_reminder_now(db_session, notice.id, user=user, today=date(2026, 12, 21))

    count = db_session.scalar(select(func.count()).where(Notification.reminder_of_id == notice.id))
    assert count == 0


def test_finding_overdue_notices_reads_an_index_on_status_and_acknowledge_by(
    db_session: Session,
) -> None:
    query = overdue_notifications(date(2027, 1, 6), CHASE_SETTINGS)
    sql = query.compile(db_session.get_bind(), compile_kwargs={"literal_binds": True})

    plan = " ".join(str(row[-1]) for row in db_session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))

    # (status, acknowledge_by), or the dashboard's (status, event, acknowledge_by)
    assert "USING INDEX ix_notifications_status_" in plan, plan
    assert "acknowledge_by<" in plan.replace(" ", ""), plan
