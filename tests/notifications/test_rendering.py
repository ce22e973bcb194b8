"""What a notice says: the subject, the full notice for secure domains, only a reference and a
link for anyone else, and the signed acknowledgement link."""

import time
from datetime import date, timedelta

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Authority, Child, HealthBody, Notification, User
from models.enums import Event
from notify.notifications.rendering.batch import render_notification
from notify.notifications.tokens import (
    InvalidAcknowledgeToken,
    acknowledge_token,
    read_acknowledge_token,
)
from notify.placements.service import end_placement
from tests.support.builders import (
    HEREFORDSHIRE,
    HW_ICB,
    TODAY,
    create_child,
    create_contact,
    create_placement,
    give_every_body_an_address,
)

CHILD = {
    "given_name": "Evangeline",
    "family_name": "Pemberton-Hughes",
    "also_known_as": "Evie",
    "date_of_birth": date(2013, 4, 17),
    "nhs_number": "9434765919",
    "risks": "Has gone missing twice; at risk of exploitation <online>",
}


def _notice(session: Session, notification: Notification) -> tuple[str, str, str]:
    message = render_notification(session, notification.id)
    return message.subject, message.text, message.html


def _notifications(session: Session, child: Child) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification).where(Notification.child_id == child.id).order_by(Notification.id)
        )
    )


def _child_with_everything(session: Session) -> Child:
    worker = User(
        email="sam.worker@worcestershire.example",
        name="Sam Worker",
        role="social_worker",
        password_hash="x",
    )
    session.add(worker)
    session.flush()
    child = create_child(session, social_worker_id=worker.id, **CHILD)
    create_contact(session, child, "iro", name="Ira Reviewer", email="iro@worcestershire.example")
    create_contact(session, child, "school", name="Malvern Primary", email="office@malvern.example")
    create_contact(session, child, "gp", name="Dr Green", organisation="Barbourne Surgery")
    return child


def _every_event(session: Session) -> dict[Event, Notification]:
    """One notification of each event, for the same child."""
    give_every_body_an_address(session)
    child = create_child(session, **CHILD)
    first = create_placement(session, child, "WR5 3AA", start_date=TODAY - timedelta(days=60))
    create_placement(session, child, "HR1 1AA", reason_for_change="CARPL")
    second = child.current_placement
    assert second is not None and first is not second
    end_placement(
        session,
        child,
        second,
        end_date=TODAY + timedelta(days=30),
        end_reason="E11",
        destination="Adopted",
        expected_version=child.version,
        today=TODAY,
    )
    found: dict[Event, Notification] = {}
    for notification in _notifications(session, child):
        found.setdefault(Event(notification.event), notification)
    return found


@pytest.mark.parametrize(
    ("event", "title"),
    [
        (Event.PLACEMENT_START, "Placement start"),
        (Event.ADDRESS_CHANGE, "Change of address"),
        (Event.PLACEMENT_END, "Placement end"),
        (Event.SQA_ALERT, "Out-of-area placement"),
    ],
)
def test_the_subject_names_the_event_initials_case_reference_and_placing_authority_only(
    db_session: Session, event: Event, title: str
) -> None:
    notification = _every_event(db_session)[event]
    if notification.address is None:  # our own team has no directory entry in the test data
        notification.address = "sqa@worcestershire.example"
    subject, _, _ = _notice(db_session, notification)
    reference = notification.child.case_reference
    assert subject == f"{title}: EP ({reference}) from Worcestershire"
    for word in ("Evangeline", "Pemberton", "Hughes", "Evie", "2013"):
        assert word not in subject


def test_a_secure_recipient_gets_the_whole_notice_in_both_parts(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    db_session.get(Authority, HEREFORDSHIRE).secure_email = True  # type: ignore[union-attr]
    child = _child_with_everything(db_session)
    create_placement(
        db_session,
        child,
        "HR1 1AA",
        telephone="01432 000000",
        urn="SC123456",
        emergency=True,
        reason_for_change="CARPL",
    )
    authority = next(
        n for n in _notifications(db_session, child) if n.recipient_kind == "authority"
    )

    _, text, html = _notice(db_session, authority)

    expected = [
        "Evangeline Pemberton-Hughes",
        "Evie",
        "17 April 2013",
        "943 476 5919",
        "C2: Full care order",
        "Sam Worker, sam.worker@worcestershire.example",
        "Ira Reviewer",
        "Malvern Primary",
        "Dr Green, Barbourne Surgery",
        "1 Example Road, HR1 1AA",
        "01432 000000",
        "SC123456",
        "Mr and Mrs Carer",
        "Has gone missing twice; at risk of exploitation",
        f"PN-{authority.id}",
        "http://notify.test/acknowledge/",
    ]
    for value in expected:
        assert value in text, value
        assert value in html, value
    assert "Emergency placement: Yes" in text
    assert "&lt;online&gt;" in html and "<online>" not in html  # escaped in HTML
    assert "<online>" in text


@pytest.mark.parametrize("kind", ["authority", "health_body"])
def test_a_recipient_not_marked_secure_gets_only_a_reference_and_a_link(
    db_session: Session, kind: str
) -> None:
    give_every_body_an_address(db_session, secure=False)
    child = _child_with_everything(db_session)
    create_placement(db_session, child, "HR1 1AA")
    notification = next(n for n in _notifications(db_session, child) if n.recipient_kind == kind)

    _, text, html = _notice(db_session, notification)

    for part in (text, html):
        assert f"PN-{notification.id}" in part
        assert "http://notify.test/acknowledge/" in part
        for private in ("Evangeline", "Pemberton", "17 April 2013", "943 476 5919", "HR1 1AA"):
            assert private not in part


def test_a_secure_health_body_gets_the_whole_notice(db_session: Session) -> None:
    give_every_body_an_address(db_session)
    db_session.get(HealthBody, HW_ICB).secure_email = True  # type: ignore[union-attr]
    child = create_child(db_session, **CHILD)
    create_placement(db_session, child, "HR1 1AA")
    icb = next(n for n in _notifications(db_session, child) if n.recipient_code == HW_ICB)
    _, text, _ = _notice(db_session, icb)
    assert "Evangeline Pemberton-Hughes" in text


def test_an_end_notice_says_when_and_why_it_ended_and_where_the_child_went(
    db_session: Session,
) -> None:
    notification = _every_event(db_session)[Event.PLACEMENT_END]
    authority = db_session.get(Authority, notification.recipient_code)
    if authority is not None:
        authority.secure_email = True
    else:
        body = db_session.get(HealthBody, notification.recipient_code)
        assert body is not None
        body.secure_email = True
    _, text, _ = _notice(db_session, notification)
    end = TODAY + timedelta(days=30)
    # an end a month ahead: notice of the intention (reg 14(2)), before it ends
    assert "THE PLACEMENT THAT IS TO END" in text
    assert f"Planned end date: {end.day} {end:%B %Y}" in text
    assert "Why notice was not given before it ended" not in text
    assert "Reason it ended: E11:" in text
    assert "Where the child went: Adopted" in text


def test_an_end_recorded_after_it_happened_says_why_and_a_late_notice_says_why_it_is_late(
    db_session: Session,
) -> None:
    give_every_body_an_address(db_session, secure=True)
    child = create_child(db_session, **CHILD)
    placement = create_placement(
        db_session, child, "HR1 1AA", start_date=TODAY - timedelta(days=90)
    )
    started_late = _notifications(db_session, child)
    reason = "She left the placement overnight and was found at her mother's"
    end_placement(
        db_session,
        child,
        placement,
        end_date=TODAY - timedelta(days=1),
        end_reason="E4A",
        destination="Home to mother",
        expected_version=child.version,
        today=TODAY,
        not_practicable_reason=reason,
    )
    (to_host,) = [
        n
        for n in _notifications(db_session, child)
        if n.event == Event.PLACEMENT_END and n.recipient_code == HEREFORDSHIRE
    ]
    _, text, _ = _notice(db_session, to_host)
    assert "THE PLACEMENT THAT ENDED" in text
    assert f"Why notice was not given before it ended: {reason}" in text

    (start_to_host,) = [n for n in started_late if n.recipient_code == HEREFORDSHIRE]
    _, text, _ = _notice(db_session, start_to_host)
    assert "WHY THIS NOTICE IS LATE" in text
    assert start_to_host.late_reason is not None and start_to_host.late_reason in text


def test_the_acknowledgement_token_names_its_notification(app: Flask) -> None:
    with app.app_context():
        token = acknowledge_token(4321)
        assert read_acknowledge_token(token, max_age=60) == 4321
        assert read_acknowledge_token(token, max_age=timedelta(days=30)) == 4321


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "5" + token[1:],
        lambda token: "not-a-token",
    ],
)
def test_an_altered_acknowledgement_token_is_refused(app: Flask, spoil: object) -> None:
    with app.app_context():
        token = spoil(acknowledge_token(4321))  # type: ignore[operator]
        with pytest.raises(InvalidAcknowledgeToken) as refused:
            read_acknowledge_token(token, max_age=60)
        assert not refused.value.expired


def test_a_token_signed_for_another_purpose_is_refused(app: Flask) -> None:
    with app.app_context():
        other = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="reset-password").dumps(4321)
        with pytest.raises(InvalidAcknowledgeToken):
            read_acknowledge_token(other, max_age=60)


def test_an_old_acknowledgement_token_has_expired(app: Flask) -> None:
    class AnHourAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3600

    with app.app_context():
        old = URLSafeTimedSerializer(
            app.config["SECRET_KEY"], salt="acknowledge", signer=AnHourAgo
        ).dumps(4321)
        assert read_acknowledge_token(old, max_age=7200) == 4321
        with pytest.raises(InvalidAcknowledgeToken) as refused:
            read_acknowledge_token(old, max_age=1800)
        assert refused.value.expired
