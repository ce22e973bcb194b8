"""`flask notify`: dispatch once, resend, and the errors a person sees."""

from flask import Flask
from sqlalchemy import update

from models import Notification
from models.enums import NotificationStatus as Status
from notify.extensions import db
from notify.notifications.cli import notify
from tests.support.builders import give_every_body_an_address, placed_child_notices
from tests.support.smtp import SmtpSink


def _committed_notices(app: Flask) -> list[tuple[int, str, str]]:
    """A placed child's notices, committed: (id, status, Message-ID) of each."""
    with app.app_context():
        session = db.session()
        give_every_body_an_address(session)
        notices = placed_child_notices(session, "HR1 1AA")
        session.commit()
        return [(n.id, n.status, n.message_id) for n in notices]


def test_dispatch_once_sends_everything_due_then_exits(own_app: Flask, smtp_sink: SmtpSink) -> None:
    own_app.config["MAIL_PORT"] = smtp_sink.port
    notices = _committed_notices(own_app)
    pending = {message_id for _, status, message_id in notices if status == Status.PENDING}

    result = own_app.test_cli_runner().invoke(notify, ["dispatch", "--once"])

    assert result.exit_code == 0, result.output
    assert f"Sent {len(pending)}, 0 to retry later, 0 failed." in result.output
    assert set(smtp_sink.message_ids()) == pending


def test_dispatch_without_once_points_to_the_worker(app: Flask) -> None:
    result = app.test_cli_runner().invoke(notify, ["dispatch"])
    assert result.exit_code == 2
    assert "flask notify worker" in result.output


def test_resend_puts_a_failed_notification_back_in_the_queue(own_app: Flask) -> None:
    notification_id = _committed_notices(own_app)[0][0]
    with own_app.app_context():
        db.session.execute(
            update(Notification)
            .where(Notification.id == notification_id)
            .values(status=Status.FAILED, last_error="SMTP 550 5.1.1 No such mailbox")
        )
        db.session.commit()

    result = own_app.test_cli_runner().invoke(notify, ["resend", str(notification_id)])

    assert result.exit_code == 0, result.output
    assert f"Notification {notification_id} will be sent again, to notifications@" in result.output
    with own_app.app_context():
        row = db.session.get(Notification, notification_id)
        assert row is not None
        assert (row.status, row.last_error) == (Status.PENDING, None)


def test_resend_explains_a_bad_or_unknown_id(app: Flask) -> None:
    runner = app.test_cli_runner()
    not_a_number = runner.invoke(notify, ["resend", "PN-12"])
    assert not_a_number.exit_code == 2
    assert "'PN-12' is not a valid integer" in not_a_number.output
    unknown = runner.invoke(notify, ["resend", "987654321"])
    assert unknown.exit_code == 1
    assert "Error: There is no notification 987654321" in unknown.output


def test_resend_refuses_a_notification_that_has_not_failed(own_app: Flask) -> None:
    notification_id, status, _ = _committed_notices(own_app)[0]
    result = own_app.test_cli_runner().invoke(notify, ["resend", str(notification_id)])
    assert result.exit_code == 1
    assert f"Notification {notification_id} is {status}: only a failed notification" in (
        result.output
    )
