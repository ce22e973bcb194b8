"""Reconciliation: one request to each placing authority with children placed here now, at
most once a day, from the command line or the register page."""

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Notification
from notify.register.service import accept_notice, reconcile
from tests.support.builders import (
    BIRMINGHAM,
    HOME,
    NOTTINGHAMSHIRE,
    TODAY,
    create_inbound_notice,
    give_addresses,
)
from tests.support.requests import expect_status, sign_in

DUDLEY = "E08000027"


def _accepted(session: Session, authority: str, their_id: str, **placement: object) -> None:
    notice = create_inbound_notice(
        session,
        placing_authority=authority,
        child={"placing_authority_child_id": their_id},
        placement=placement,
    )
    accept_notice(session, notice.id, home_authority_code=HOME, user_id=None, today=TODAY)


def _placed(session: Session) -> None:
    """Birmingham: two children here now; Nottinghamshire: one; Dudley: one who has left."""
    _accepted(session, BIRMINGHAM, "B-1")
    _accepted(session, BIRMINGHAM, "B-2")
    _accepted(session, NOTTINGHAMSHIRE, "N-1")
    _accepted(
        session,
        DUDLEY,
        "D-1",
        start_date=(TODAY - timedelta(days=90)).isoformat(),
        end_date=(TODAY - timedelta(days=2)).isoformat(),
        end_reason="E13",
    )


def _reconciliations(session: Session) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.event == "reconciliation")
            .order_by(Notification.recipient_code)
        )
    )


def test_one_request_goes_to_each_authority_with_children_placed_here_now(
    db_session: Session,
) -> None:
    _placed(db_session)
    give_addresses(db_session, BIRMINGHAM)

    done = reconcile(db_session, home_authority_code=HOME, today=TODAY)

    rows = _reconciliations(db_session)
    assert [n.id for n in done.written] == [n.id for n in rows]
    # by code: Birmingham (E08000025), Nottinghamshire (E10000024); not Dudley, who left
    assert [(n.recipient_code, n.recipient_kind, n.status, n.address, n.send_by) for n in rows] == [
        (BIRMINGHAM, "authority", "pending", "placements@e08000025.example", TODAY),
        (NOTTINGHAMSHIRE, "authority", "needs_address", None, TODAY),
    ]
    assert {(n.child_id, n.placement_id) for n in rows} == {(None, None)}


def test_running_twice_the_same_day_writes_nothing_new(db_session: Session) -> None:
    _placed(db_session)
    reconcile(db_session, home_authority_code=HOME, today=TODAY)

    again = reconcile(db_session, home_authority_code=HOME, today=TODAY)
    next_day = reconcile(db_session, home_authority_code=HOME, today=TODAY + timedelta(days=1))

    assert again.written == () and sorted(again.already_today) == sorted(
        [BIRMINGHAM, NOTTINGHAMSHIRE]
    )
    assert len(next_day.written) == 2
    assert len(_reconciliations(db_session)) == 4


def test_one_authority_can_be_asked_alone(db_session: Session) -> None:
    _placed(db_session)

    done = reconcile(db_session, home_authority_code=HOME, today=TODAY, authority_code=BIRMINGHAM)
    rest = reconcile(db_session, home_authority_code=HOME, today=TODAY)

    assert [n.recipient_code for n in done.written] == [BIRMINGHAM]
    assert [n.recipient_code for n in rest.written] == [NOTTINGHAMSHIRE]


def test_the_command_reconciles_and_says_what_it_wrote(app: Flask, db_session: Session) -> None:
    _placed(db_session)
    db_session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["inbound", "reconcile"])
    second = runner.invoke(args=["inbound", "reconcile", "--authority", BIRMINGHAM])

    assert first.exit_code == 0, first.output
    assert (
        "Wrote 2 reconciliation requests (2 waiting for an address); 0 authorities" in first.output
    )
    assert "Wrote 0 reconciliation requests; 1 authorities already asked today" in second.output
    assert (
        db_session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reconcile")
        )
        == 2
    )


def test_the_register_button_reconciles_for_business_support(
    db_session: Session, client: FlaskClient
) -> None:
    _placed(db_session)
    sign_in(client, db_session, "business_support")

    page = expect_status(client.get("/register"), 200).get_data(as_text=True)
    confirm = expect_status(client.get("/register/reconcile"), 200).get_data(as_text=True)
    assert _reconciliations(db_session) == []  # the confirmation page sends nothing
    first = expect_status(client.post("/register/reconcile", follow_redirects=True), 200).get_data(
        as_text=True
    )
    after = expect_status(client.get("/register/reconcile"), 200).get_data(as_text=True)
    second = expect_status(client.post("/register/reconcile", follow_redirects=True), 200).get_data(
        as_text=True
    )

    assert 'href="/register/reconcile"' in page
    # Birmingham with two children here now, Nottinghamshire with one; Dudley's has left
    assert "This emails 2 placing authorities now" in confirm
    rows = re.findall(r'<td class="govuk-table__cell[^"]*">([^<]+)</td>', confirm)
    assert rows == ["Birmingham", "2", "Nottinghamshire", "1"]
    assert "Dudley" not in confirm
    assert "Reconciliation requests written to 2 placing authorities" in first
    assert "There is nobody to ask today: every placing authority has been asked" in after
    assert "Already asked today, and not asked again: Birmingham, Nottinghamshire" in after
    assert "already been asked today" in second
    assert len(_reconciliations(db_session)) == 2


def test_only_business_support_may_reconcile(db_session: Session, client: FlaskClient) -> None:
    _placed(db_session)
    sign_in(client, db_session, "manager")

    assert "Ask placing authorities to confirm" not in expect_status(
        client.get("/register"), 200
    ).get_data(as_text=True)
    assert client.get("/register/reconcile").status_code == 403
    assert client.post("/register/reconcile").status_code == 403
    assert _reconciliations(db_session) == []
