"""Delivery: claim due notifications, render each, send it, record the attempt and the outcome.

Each notification is committed on its own once its outcome is known, so a crash loses at
most the one in flight: that one is still `sending` with its claim, and is claimed again
when the claim's lease runs out (sent a second time, with the same Message-ID).
"""

import logging
import os
import random
import secrets
import socket
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, cast

from flask import current_app
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from models import DeliveryAttempt, Notification
from models.base import utcnow
from models.enums import Channel as ChannelName
from models.enums import Division
from models.enums import NotificationStatus as Status
from notify.calendar import CalendarRangeError, WorkingDays, uk_date
from notify.notifications import outbox
from notify.notifications.calendars import working_day_calendars
from notify.notifications.channels.base import (
    ApiDelivery,
    Channel,
    DeliveryError,
    OutgoingMessage,
)
from notify.notifications.federation import api_deliveries
from notify.notifications.rendering.batch import load_notices
from notify.notifications.rendering.message import Notice, render

logger = logging.getLogger(__name__)

_NOTIFICATIONS = cast(Table, Notification.__table__)
_ATTEMPTS = cast(Table, DeliveryAttempt.__table__)
# Built once: they run for every message.
_RECORD_ATTEMPT = insert(_ATTEMPTS)
_THIS_ONE = _NOTIFICATIONS.c.id == bindparam("notification_id")
_ATTEMPTS_SO_FAR = select(_NOTIFICATIONS.c.attempts).where(_THIS_ONE)
# The first of a notification's attempts since it was last (re)started: `attempts` counts those.
_FIRST_ATTEMPT = (
    select(_ATTEMPTS.c.attempted_at)
    .where(_ATTEMPTS.c.notification_id == bindparam("notification_id"))
    .order_by(_ATTEMPTS.c.id.desc())
    .offset(bindparam("earlier"))
    .limit(1)
)
_COUNT_ATTEMPT = (
    update(_NOTIFICATIONS).where(_THIS_ONE).values(attempts=_NOTIFICATIONS.c.attempts + 1)
)
# Working days are counted from the day a notice was sent where its recipients work.


@dataclass(frozen=True)
class DeliverySettings:
    acknowledge_within: int = 5  # working days
    retry_base: timedelta = timedelta(minutes=1)
    retry_cap: timedelta = timedelta(hours=24)
    give_up_after: timedelta = timedelta(hours=72)  # of transient failures, then `failed`
    lease: timedelta = outbox.DEFAULT_LEASE
    batch_size: int = 50

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "DeliverySettings":
        """The settings from the app's configuration, with these defaults where unset."""
        defaults = cls()
        give_up = config.get("DELIVERY_GIVE_UP_HOURS")
        return cls(
            acknowledge_within=int(
                config.get("ACKNOWLEDGE_WITHIN_WORKING_DAYS", defaults.acknowledge_within)
            ),
            retry_base=_seconds(config, "DELIVERY_RETRY_BASE_SECONDS", defaults.retry_base),
            retry_cap=_seconds(config, "DELIVERY_RETRY_CAP_SECONDS", defaults.retry_cap),
            give_up_after=(
                defaults.give_up_after if give_up is None else timedelta(hours=float(give_up))
            ),
            lease=_seconds(config, "DELIVERY_LEASE_SECONDS", defaults.lease),
            batch_size=int(config.get("DELIVERY_BATCH_SIZE", defaults.batch_size)),
        )


def _seconds(config: Mapping[str, Any], name: str, default: timedelta) -> timedelta:
    value = config.get(name)
    return default if value is None else timedelta(seconds=float(value))


@dataclass
class Dispatched:
    """What one call of dispatch_once did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0  # claimed, then handed back unsent because the worker is stopping

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed + self.released

    def count(self, outcome: str) -> None:
        if outcome == "sent":
            self.sent += 1
        elif outcome == "transient":
            self.retrying += 1
        else:
            self.failed += 1

    def add(self, other: "Dispatched") -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.released += other.released


def worker_name() -> str:
    """An identifier for this process, recorded on the rows it claims."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


def dispatch_once(
    session: Session,
    channel: Channel,
    now: datetime | None = None,
    *,
    settings: DeliverySettings | None = None,
    worker_id: str | None = None,
    stop: Callable[[], bool] | None = None,
) -> Dispatched:
    """Claim one batch of due notifications and deliver each, committing after every one.
    `now` fixes the clock (tests); by default each step reads the time afresh."""
    if settings is None:
        settings = DeliverySettings.from_config(current_app.config)
    worker_id = worker_id or worker_name()

    def clock() -> datetime:
        return now if now is not None else utcnow()

    claimed = outbox.claim_due(session, settings.batch_size, clock(), worker_id, settings.lease)
    session.commit()
    result = Dispatched()
    if not claimed:
        return result
    notices = load_notices(session, claimed)
    posts = api_deliveries(session, claimed, current_app.config)
    calendars = working_day_calendars(session)
    session.commit()  # end the reads' transaction: on SQLite it holds the write lock

    # One message is on the wire while the last one's outcome is recorded: the channel
    # starts it (envelope and data) on a thread of its own, but it is finished (delivered)
    # only after that outcome is committed. So at most one message is ever delivered and
    # not yet recorded, and a worker that dies mid-way leaves the next one undelivered.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="notify-send") as sender:
        started: Future[Callable[[], Outcome]] | None = None
        for position, notification_id in enumerate(claimed):
            if started is None:
                if stop is not None and stop():
                    # Not attempted: hand them back now rather than leave them to the lease.
                    outbox.release(session, claimed[position:], clock())
                    session.commit()
                    result.released = len(claimed) - position
                    break
                prepared = _prepare(notices, posts, notification_id)
                started = sender.submit(_begin, channel, prepared)
            outcome = started.result()()
            started = None
            if position + 1 < len(claimed) and not (stop is not None and stop()):
                upcoming = _prepare(notices, posts, claimed[position + 1])
                started = sender.submit(_begin, channel, upcoming)
            acknowledge = None
            notice = notices.get(notification_id)
            if outcome.result == "sent" and isinstance(notice, Notice):
                acknowledge = acknowledge_by(
                    notice, clock(), settings.acknowledge_within, calendars
                )
            result.count(
                _record(
                    session, notification_id, outcome, acknowledge, worker_id, settings, clock()
                )
            )
            session.commit()
    return result


class Outcome(NamedTuple):
    result: str  # sent, transient or permanent
    error: str | None = None
    receipt: str | None = None  # the recipient's id for it (a notice posted to its API)


def _prepare(
    notices: Mapping[int, Notice | Exception],
    posts: Mapping[int, ApiDelivery],
    notification_id: int,
) -> OutgoingMessage | Outcome:
    """The rendered message (with what to post, for a recipient with an API), or the
    permanent failure that stops it."""
    notice = notices.get(notification_id)
    if notice is None:
        return Outcome("permanent", "The notification could not be read")
    try:
        if isinstance(notice, Exception):
            raise notice
        return replace(render(notice), api=posts.get(notification_id))
    except Exception as exc:
        logger.exception(
            "Could not render notification %s",
            notification_id,
            extra={"notification_id": notification_id},
        )
        return Outcome("permanent", f"Could not render the notice: {type(exc).__name__}: {exc}")


def _begin(channel: Channel, prepared: OutgoingMessage | Outcome) -> Callable[[], Outcome]:
    """Start sending a rendered message; returns the call that finishes it and gives its
    outcome (at once, for a message that could not be rendered or started)."""
    if not isinstance(prepared, OutgoingMessage):
        return lambda: prepared
    message = prepared
    try:
        finish = channel.start(message)
    except Exception as exc:
        failed = _failure(message, exc)
        return lambda: failed

    def finished() -> Outcome:
        try:
            receipt = finish()
        except Exception as exc:
            return _failure(message, exc)
        return Outcome("sent", None, receipt)

    return finished


def _failure(message: OutgoingMessage, exc: Exception) -> Outcome:
    """The outcome of a send that raised: transient, or permanent, and the error."""
    if isinstance(exc, DeliveryError):
        return Outcome(
            "transient" if exc.transient else "permanent", str(exc) or type(exc).__name__
        )
    # A fault in a channel: retried with backoff rather than lost or sent in a loop.
    logger.error(
        "Unexpected error sending notification %s",
        message.notification_id,
        exc_info=exc,
        extra={"notification_id": message.notification_id},
    )
    return Outcome("transient", f"Unexpected error: {type(exc).__name__}: {exc}")


def _record(
    session: Session,
    notification_id: int,
    sent: Outcome,
    acknowledge: date | None,
    worker_id: str,
    settings: DeliverySettings,
    now: datetime | None = None,
) -> str:
    """Record the attempt and move the notification on, in the caller's transaction; returns
    the outcome (a transient failure that has gone on too long becomes permanent)."""
    outcome, error, receipt = sent
    now = now or utcnow()
    connection = session.connection()
    connection.execute(
        _RECORD_ATTEMPT,
        {
            "notification_id": notification_id,
            "attempted_at": now,
            "outcome": outcome,
            "error": error,
        },
    )
    extra = {"notification_id": notification_id, "worker_id": worker_id}
    if outcome == "transient":
        earlier = connection.execute(
            _ATTEMPTS_SO_FAR, {"notification_id": notification_id}
        ).scalar_one()
        first = connection.execute(
            _FIRST_ATTEMPT, {"notification_id": notification_id, "earlier": earlier}
        ).scalar_one()
        if now - first >= settings.give_up_after:
            # Long enough for a relay to come back: a person must look at it now.
            outcome = "permanent"
            error = (
                f"Not delivered in {_hours(now - first)} ({earlier + 1} attempts); "
                f"the last error: {error}"
            )
    if outcome == "sent":
        # Whoever holds it now: it has gone, and a worker that took it over will find it sent.
        moved = outbox.change_status(
            session,
            notification_id,
            Status.SENT,
            count_attempt=True,
            sent_at=now,
            acknowledge_by=acknowledge,
            last_error=None,
            # posted to the recipient's API: its id for the notice, to ask after acceptance
            **({"channel": ChannelName.API.value, "remote_id": receipt} if receipt else {}),
            claimed_by=None,
            next_attempt_at=None,
        )
        logger.info("Sent notification %s", notification_id, extra=extra)
    elif outcome == "transient":
        delay = retry_delay(earlier + 1, settings.retry_base, settings.retry_cap)
        # Only while we still hold it: if our lease ran out, the new holder's outcome counts.
        moved = outbox.change_status(
            session,
            notification_id,
            Status.PENDING,
            held_by=worker_id,
            count_attempt=True,
            last_error=error,
            claimed_by=None,
            next_attempt_at=now + delay,
        )
        logger.info(
            "Notification %s will be retried in %d s",
            notification_id,
            delay.total_seconds(),
            extra={**extra, "error": error},
        )
    else:
        moved = outbox.change_status(
            session,
            notification_id,
            Status.FAILED,
            held_by=worker_id,
            count_attempt=True,
            last_error=error,
            claimed_by=None,
            next_attempt_at=None,
        )
        logger.warning(
            "Notification %s failed: %s", notification_id, error, extra={**extra, "error": error}
        )
    if not moved:
        connection.execute(_COUNT_ATTEMPT, {"notification_id": notification_id})
    return outcome


def _hours(elapsed: timedelta) -> str:
    hours = elapsed.total_seconds() / 3600
    return f"{hours:.0f} hours" if hours >= 2 else f"{elapsed.total_seconds() / 60:.0f} minutes"


def retry_delay(
    attempts: int, base: timedelta, cap: timedelta, rng: random.Random | None = None
) -> timedelta:
    """Exponential backoff after the n-th failed attempt, capped, with jitter (between half and
    all of it) so messages that failed together do not all retry together."""
    ceiling = min(cap, base * 2 ** min(max(attempts - 1, 0), 40))
    seconds = (rng or random).uniform(ceiling.total_seconds() / 2, ceiling.total_seconds())
    return timedelta(seconds=seconds)


def acknowledge_by(
    notice: Notice,
    sent_at: datetime,
    working_days: int,
    calendars: Mapping[Division, WorkingDays],
) -> date | None:
    """`working_days` working days after the day it was sent, in the recipient's division."""
    try:
        return calendars[notice.division].add(uk_date(sent_at), working_days)
    except CalendarRangeError:
        logger.warning(
            "No bank holidays loaded for the acknowledgement date of notification %s",
            notice.notification_id,
            extra={"notification_id": notice.notification_id},
        )
        return None
