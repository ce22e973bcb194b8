"""The delivery worker: dispatch due notifications until told to stop.

It finds new work by polling: one indexed query (status, next_attempt_at) every
DELIVERY_POLL_SECONDS (default 0.5 s) while idle. That works the same on SQLite, which has
no LISTEN/NOTIFY, and on PostgreSQL; it costs well under a millisecond a poll, and puts a
new notification on its way within about half a second of its commit (bench_dispatch
measures it). While there is work it dispatches batch after batch without waiting.

Given chase settings it also chases unacknowledged notices once a working day: at its first
poll on or after CHASE_HOUR (UK time), then dispatches at once what that wrote. It remembers
the day it chased; another worker, or this one restarted, chasing the same day writes nothing
twice (see notify/chasing).
"""

import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from types import FrameType

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models.base import utcnow
from models.enums import Division
from notify.calendar import UK
from notify.notifications.calendars import working_day_calendars
from notify.notifications.channels.base import Channel
from notify.notifications.chasing import ChaseResult, ChaseSettings, chase
from notify.notifications.delivery import DeliverySettings, Dispatched, dispatch_once, worker_name
from notify.notifications.federation import Collected
from notify.notifications.successions import transfer_notices

logger = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 0.5
DEFAULT_CHASE_HOUR = 7  # UK time
DEFAULT_COLLECT_SECONDS = 300.0  # how often to ask after notices posted to other authorities
# After a database error, wait this long (doubling to the maximum) before trying again.
_RECOVERY_WAIT = (1.0, 30.0)


class Worker:
    """Runs dispatch_once in a loop; `stop()` (or SIGTERM / SIGINT) ends it after the message
    in hand."""

    def __init__(
        self,
        session: Session,
        channel: Channel,
        settings: DeliverySettings,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
        worker_id: str | None = None,
        *,
        chase_settings: ChaseSettings | None = None,
        chase_hour: int = DEFAULT_CHASE_HOUR,
        collect: Callable[[Session], Collected] | None = None,
        collect_every: float = DEFAULT_COLLECT_SECONDS,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.session = session
        self.channel = channel
        self.settings = settings
        self.poll_seconds = poll_seconds
        self.worker_id = worker_id or worker_name()
        self.stopping = threading.Event()
        self.totals = Dispatched()
        self.chase_settings = chase_settings  # None: this worker does not chase
        self.chase_hour = chase_hour
        self.clock = clock
        self.chased_on: date | None = None  # the last day this process looked at chasing
        self.transferred_on: date | None = None  # ... moved notices off bodies that ended
        self.collect = collect  # None: this worker does not ask after posted notices
        self.collect_every = collect_every
        self.collected_at: float | None = None  # time.monotonic() of the last time it asked

    def stop(self) -> None:
        self.stopping.set()

    def run(self, install_signal_handlers: bool = True) -> Dispatched:
        """Dispatch until stopped; return what was done."""
        if install_signal_handlers:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, self._on_signal)
        logger.info("Delivery worker %s started", self.worker_id, extra=self._extra())
        wait = _RECOVERY_WAIT[0]
        while not self.stopping.is_set():
            try:
                self.chase_if_due()
                self.collect_if_due()
                done = self._dispatch()
            except SQLAlchemyError:
                # The database went away or a transaction failed: what was claimed stays
                # claimed until its lease runs out, and nothing is lost. Try again shortly.
                logger.exception("Delivery worker %s: database error", self.worker_id)
                _close(self.channel)  # drops a message started and not finished
                self._discard_session()
                self.stopping.wait(wait)
                wait = min(wait * 2, _RECOVERY_WAIT[1])
                continue
            wait = _RECOVERY_WAIT[0]
            if done.claimed < self.settings.batch_size:
                # Idle (or nearly): let go of the SMTP connection and the database
                # connection while waiting for work.
                _close(self.channel)
                self._discard_session()
                self.stopping.wait(self.poll_seconds)
        _close(self.channel)
        self._discard_session()
        logger.info(
            "Delivery worker %s stopped: %d sent, %d to retry, %d failed",
            self.worker_id,
            self.totals.sent,
            self.totals.retrying,
            self.totals.failed,
            extra=self._extra(),
        )
        return self.totals

    def collect_if_due(self) -> Collected | None:
        """Every `collect_every` seconds, ask the authorities we posted notices to (federation)
        which they have accepted: what it found, or None when it was not time."""
        started = time.monotonic()
        if self.collect is None or (
            self.collected_at is not None and started - self.collected_at < self.collect_every
        ):
            return None
        self.collected_at = started
        try:
            found = self.collect(self.session)
        except SQLAlchemyError:
            raise
        except Exception:
            logger.exception(
                "Delivery worker %s: asking after posted notices failed", self.worker_id
            )
            self.session.rollback()
            return None
        self.session.commit()
        if found.acknowledged or found.rejected:
            logger.info(
                "Delivery worker %s: %d posted notices accepted, %d rejected",
                self.worker_id,
                found.acknowledged,
                found.rejected,
                extra=self._extra(),
            )
        return found

    def chase_if_due(self) -> ChaseResult | None:
        """Chase once a working day, at the first poll from `chase_hour` UK time: what it
        wrote, or None when it was not time (or not a working day)."""
        if self.chase_settings is None:
            return None
        now = self.clock()
        local = now.astimezone(UK)
        today = local.date()
        if self.transferred_on != today:
            # a body that ended overnight (a reorganisation's day): its unsent notices move
            # to the successor before any of them is sent
            transfer_notices(self.session, today)
            self.session.commit()
            self.transferred_on = today
        if self.chased_on == today or local.hour < self.chase_hour:
            return None
        calendar = working_day_calendars(self.session)[Division.ENGLAND_AND_WALES]
        if not calendar.covers(today) or not calendar.is_working_day(today):
            self.session.rollback()
            self.chased_on = today
            if not calendar.covers(today):
                logger.warning("Not chasing: no bank holidays loaded for %s", today.isoformat())
            return None
        # Marked before chasing: a chase that fails for anything but the database (which
        # the loop retries) is not retried every poll all day.
        self.chased_on = today
        try:
            # the clock says which day it is; the rows' timestamps are the real time
            done = chase(self.session, today, self.chase_settings)
        except SQLAlchemyError:
            self.chased_on = None  # the loop waits, then this tries again
            raise
        except Exception:
            logger.exception("Delivery worker %s: chasing failed", self.worker_id)
            self.session.rollback()
            return None
        self.session.commit()
        return done

    def _dispatch(self) -> Dispatched:
        done = dispatch_once(
            self.session,
            self.channel,
            settings=self.settings,
            worker_id=self.worker_id,
            stop=self.stopping.is_set,
        )
        self.totals.add(done)
        return done

    def _discard_session(self) -> None:
        try:
            self.session.rollback()
        except SQLAlchemyError:
            logger.debug("rollback failed while recovering", exc_info=True)
        self.session.close()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        logger.info(
            "Delivery worker %s: %s received, stopping after the message in hand",
            self.worker_id,
            signal.Signals(signum).name,
            extra=self._extra(),
        )
        self.stop()
        # A second signal ends the process at once.
        signal.signal(signum, signal.SIG_DFL)

    def _extra(self) -> dict[str, str]:
        return {"worker_id": self.worker_id}


def dispatch_all(
    session: Session,
    channel: Channel,
    settings: DeliverySettings,
    stop: Callable[[], bool] | None = None,
) -> Dispatched:
    """Send everything due now, batch after batch, then return (`flask notify dispatch --once`)."""
    totals = Dispatched()
    worker_id = worker_name()
    try:
        while stop is None or not stop():
            done = dispatch_once(
                session,
                channel,
                settings=settings,
                worker_id=worker_id,
                stop=stop,
            )
            totals.add(done)
            if done.claimed == 0:
                break
    finally:
        _close(channel)
    return totals


def _close(channel: Channel) -> None:
    """Channels that keep a connection open across a batch (email) close it here."""
    close = getattr(channel, "close", None)
    if close is not None:
        close()
