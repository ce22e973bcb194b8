"""The mail relay down for several attempts, then back: everything arrives, once; and a
placement change that was rolled back (or corrected in time) sends nothing."""

from collections import Counter
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DeliveryAttempt, Notification
from models.enums import NotificationStatus as Status
from notify.extensions import db
from notify.notifications import outbox
from notify.notifications.channels.email import EmailChannel
from notify.notifications.delivery import DeliverySettings, dispatch_once
from notify.notifications.worker import dispatch_all
from tests.support.builders import give_every_body_an_address, later, placed_child_notices
from tests.support.mail import MailGuard, mail_to
from tests.support.smtp import SmtpSink, free_port

SETTINGS = DeliverySettings(
    retry_base=timedelta(minutes=1),
    retry_cap=timedelta(hours=24),
    give_up_after=timedelta(days=7),  # an outage of four days: long, but not given up on
)


def test_an_smtp_outage_delays_delivery_then_everything_arrives_once(
    app: Flask, db_session: Session, mail_guard: MailGuard
) -> None:
    give_every_body_an_address(db_session)
    notices = [
        n
        for _ in range(5)
        for n in placed_child_notices(db_session, "EH1 1AD")
        if n.status == Status.PENDING
    ]
    port = free_port()
    mail_guard.expect(port)
    now = later()
    with EmailChannel(mail_to(app, port)) as channel:
        for _ in range(4):  # down: nothing listens on the port
            done = dispatch_once(db_session, channel, now, settings=SETTINGS)
            assert (done.retrying, done.sent) == (len(notices), 0)
            now += SETTINGS.retry_cap  # past any backoff

        sink = SmtpSink(port).start()  # the relay is back
        try:
            done = dispatch_once(db_session, channel, now, settings=SETTINGS)
            assert dispatch_once(db_session, channel, now, settings=SETTINGS).claimed == 0
        finally:
            sink.stop()

    assert done.sent == len(notices)
    arrived = Counter(sink.message_ids())
    assert arrived == Counter({n.message_id: 1 for n in notices})
    for notification in notices:
        db_session.refresh(notification)
        assert (notification.status, notification.attempts) == (Status.SENT, 5)
        outcomes = db_session.scalars(
            select(DeliveryAttempt.outcome)
            .where(DeliveryAttempt.notification_id == notification.id)
            .order_by(DeliveryAttempt.id)
        ).all()
        assert outcomes == ["transient"] * 4 + ["sent"]


def test_a_placement_change_that_was_rolled_back_sends_nothing(
    own_app: Flask, smtp_sink: SmtpSink
) -> None:
    with own_app.app_context():
        session = db.session()
        give_every_body_an_address(session)
        session.commit()
        placed_child_notices(session, "HR1 1AA")  # written, then the request fails
        session.rollback()

        with EmailChannel(mail_to(own_app, smtp_sink.port)) as channel:
            done = dispatch_all(session, channel, SETTINGS)

        assert done.claimed == 0
        assert session.scalar(select(func.count()).select_from(Notification)) == 0
        db.session.remove()
    assert smtp_sink.messages() == []


def test_notices_cancelled_before_they_went_are_never_sent(
    own_app: Flask, smtp_sink: SmtpSink
) -> None:
    """Cancelled through outbox.cancel_for_placement (no journey calls it yet: correcting a
    placement is still to be built), then a delivery pass: nothing is claimed or sent."""
    with own_app.app_context():
        session = db.session()
        give_every_body_an_address(session)
        placement_id = placed_child_notices(session, "HR1 1AA")[0].placement_id
        session.commit()
        outbox.cancel_for_placement(session, placement_id)
        session.commit()

        with EmailChannel(mail_to(own_app, smtp_sink.port)) as channel:
            done = dispatch_all(session, channel, SETTINGS)

        assert done.claimed == 0
        statuses = set(session.scalars(select(Notification.status)))
        db.session.remove()
    assert statuses == {Status.CANCELLED}
    assert smtp_sink.messages() == []
