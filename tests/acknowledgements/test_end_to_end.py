"""From the outbox to an acknowledgement: the notice goes out over real SMTP, and the link in
the message that arrived is the one its recipient opens and confirms."""

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from models.enums import NotificationStatus as Status
from notify.notifications.channels.email import EmailChannel
from notify.notifications.delivery import DeliverySettings, dispatch_once
from tests.support.builders import (
    HEREFORDSHIRE,
    give_every_body_an_address,
    later,
    placed_child_notices,
)
from tests.support.mail import mail_to
from tests.support.smtp import SmtpSink

LINK = re.compile(r"http://notify\.test(/acknowledge/[A-Za-z0-9_.\-]+)")


def test_the_link_in_a_delivered_notice_acknowledges_it(
    app: Flask, client: FlaskClient, db_session: Session, smtp_sink: SmtpSink
) -> None:
    give_every_body_an_address(db_session)
    notice = next(
        n for n in placed_child_notices(db_session, "HR1 1AA") if n.recipient_code == HEREFORDSHIRE
    )
    settings = DeliverySettings(retry_base=timedelta(minutes=1), retry_cap=timedelta(hours=1))
    with EmailChannel(mail_to(app, smtp_sink.port)) as channel:
        dispatch_once(db_session, channel, later(), settings=settings)
    db_session.commit()
    [message] = [m for m in smtp_sink.messages() if m.message_id == notice.message_id]
    [path] = set(LINK.findall(message.body("plain")))

    opened = client.get(path)
    db_session.refresh(notice)
    assert opened.status_code == 200 and notice.status == Status.SENT
    confirmed = client.post(path, data={"name": "Pat Duty"})

    assert confirmed.status_code == 200
    assert "Receipt confirmed" in confirmed.get_data(as_text=True)
    db_session.refresh(notice)
    assert (notice.status, notice.acknowledged_via) == (Status.ACKNOWLEDGED, "link")
