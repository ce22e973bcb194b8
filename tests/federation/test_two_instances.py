"""Two real instances of Placement Notify on loopback, each with a database of its own:
Worcestershire places a child in Herefordshire, and both run the service. The notice goes
from one to the other with no email; Herefordshire's acceptance comes back to Worcestershire
as the acknowledgement."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from models import Authority, Child, InboundNotice, Notification
from models.enums import NotificationStatus as Status
from notify import create_app
from notify.apikeys.service import create_api_key
from notify.config import for_testing
from notify.extensions import db
from notify.notifications.channels.email import EmailChannel
from notify.notifications.channels.federation import FederationChannel, Routed
from notify.notifications.delivery import DeliverySettings
from notify.notifications.federation import collect_acceptances
from notify.notifications.worker import dispatch_all
from notify.register.service import accept_notice
from notify.sealing import seal
from tests.support.apps import dispose
from tests.support.builders import (
    HEREFORDSHIRE,
    create_child,
    create_placement,
    give_every_body_an_address,
)
from tests.support.mail import mail_to
from tests.support.smtp import SmtpSink, copy_database

WORCESTERSHIRE = "E10000034"


@dataclass(frozen=True)
class Instance:
    app: Flask
    url: str


@pytest.fixture
def instances(app: Flask, database_path: Path, tmp_path: Path) -> Iterator[dict[str, Instance]]:
    """Worcestershire's and Herefordshire's Placement Notify, each serving HTTP on a port of
    its own, over a copy of the reference data."""
    running = {}
    servers = []
    for home in (WORCESTERSHIRE, HEREFORDSHIRE):
        database = tmp_path / f"{home}.sqlite3"
        copy_database(database_path, database)
        instance_app = create_app(
            {
                **for_testing(f"sqlite:///{database}"),
                "HOME_AUTHORITY": home,
                "SECRET_KEY": f"secret-of-{home}",
            }
        )
        server = make_server("127.0.0.1", 0, instance_app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        running[home] = Instance(instance_app, f"http://127.0.0.1:{server.server_port}")
    try:
        yield running
    finally:
        for server in servers:
            server.shutdown()
        for instance in running.values():
            dispose(instance.app)


def test_a_move_recorded_in_one_instance_is_accepted_in_the_other_with_no_email(
    instances: dict[str, Instance], smtp_sink: SmtpSink
) -> None:
    ours, theirs = instances[WORCESTERSHIRE], instances[HEREFORDSHIRE]
    with theirs.app.app_context():
        key = create_api_key(
            db.session,
            authority_code=WORCESTERSHIRE,
            scopes=["inbound:write"],
            name="Worcs",
            home_authority=HEREFORDSHIRE,
        ).key
        db.session.commit()
    with ours.app.app_context():
        session = db.session()
        give_every_body_an_address(session)
        herefordshire = session.get(Authority, HEREFORDSHIRE)
        assert herefordshire is not None
        herefordshire.api_endpoint = f"{theirs.url}/api/v1"
        herefordshire.api_key_encrypted = seal(key, ours.app.config["SECRET_KEY"])
        child = create_child(session)
        create_placement(session, child, "HR1 1AA")
        session.commit()
        case_reference = child.case_reference
        to_them = session.scalars(
            select(Notification).where(Notification.recipient_code == HEREFORDSHIRE)
        ).one()
        by_email = session.scalar(
            select(func.count()).where(
                Notification.status == Status.PENDING, Notification.id != to_them.id
            )
        )

        config = mail_to(ours.app, smtp_sink.port)
        settings = DeliverySettings.from_config(config)
        with EmailChannel(config) as email:
            channel = Routed(email, FederationChannel(config))
            done = dispatch_all(session, channel, settings)
            session.refresh(to_them)
            assert (done.sent, to_them.status, to_them.channel) == (
                by_email + 1,
                Status.SENT,
                "api",
            )
            # A crash after the post and before its outcome was recorded: posted again.
            to_them.status, to_them.next_attempt_at = Status.PENDING, to_them.created_at
            session.commit()
            assert dispatch_all(session, channel, settings).sent == 1
        remote_id = to_them.remote_id
        assert herefordshire.notification_email not in {m.rcpt_tos[0] for m in smtp_sink.messages()}
        db.session.remove()

    with theirs.app.app_context():
        session = db.session()
        (notice,) = session.scalars(select(InboundNotice)).all()  # once, though posted twice
        assert (str(notice.id), notice.reference, notice.status) == (
            remote_id,
            f"PN-{to_them.id}",
            "received",
        )
        assert notice.placing_authority_code == WORCESTERSHIRE
        assert notice.payload["child"]["placing_authority_child_id"] == case_reference
        accept_notice(
            session,
            notice.id,
            home_authority_code=HEREFORDSHIRE,
            user_id=None,
            today=date.today(),
        )
        session.commit()
        hosted = session.scalars(
            select(Child).where(Child.responsible_authority_code == WORCESTERSHIRE)
        ).one()
        assert hosted.case_reference == case_reference
        db.session.remove()

    with ours.app.app_context():
        session = db.session()
        found = collect_acceptances(session, ours.app.config)
        session.commit()
        acknowledged = session.get(Notification, to_them.id)
        assert acknowledged is not None
        assert (found.acknowledged, acknowledged.status, acknowledged.acknowledged_via) == (
            1,
            Status.ACKNOWLEDGED,
            "api",
        )
        db.session.remove()
