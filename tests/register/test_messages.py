"""What the query, reconciliation and partner messages say: subject and body, with names
and dates of birth only for a secure mail domain, and the worker able to send each."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Authority, Notification
from notify.notifications.rendering.batch import load_notices, render_notification
from notify.register.service import accept_notice, query_notice, reconcile
from tests.support.builders import (
    BIRMINGHAM,
    HOME,
    TODAY,
    create_inbound_notice,
    create_partner_teams,
    give_addresses,
)


def _accepted(session: Session, **over: object) -> None:
    notice = create_inbound_notice(session, **over)
    accept_notice(session, notice.id, home_authority_code=HOME, user_id=None, today=TODAY)


def _secure(session: Session, code: str, secure: bool) -> None:
    give_addresses(session, code)
    authority = session.get(Authority, code)
    assert authority is not None
    authority.secure_email = secure


def test_a_query_to_the_social_worker_asks_the_question_without_the_childs_name(
    db_session: Session,
) -> None:
    notice = create_inbound_notice(db_session, reference="BCC-2026-000123")
    query = query_notice(
        db_session,
        notice.id,
        question="Please send the GP & school <details>.",
        user_id=None,
        today=TODAY,
    )

    message = render_notification(db_session, query.id)

    assert message.to == "dana.social@birmingham.example"
    assert message.subject == (
        "Query about your placement start notice BCC-2026-000123: KW (C-55501)"
    )
    assert "Please send the GP & school <details>." in message.text
    assert "Please send the GP &amp; school &lt;details&gt;." in message.html
    assert "Worcestershire received your placement start notice" in message.text
    assert "/acknowledge/" in message.text
    for private in ("Keira", "Whitlock", "14 Orchard Way"):
        assert private not in message.text and private not in message.html
    assert "Worcester, WR1" in message.text  # town and postcode district only


def test_a_query_to_a_secure_authority_inbox_carries_the_name_and_address(
    db_session: Session,
) -> None:
    _secure(db_session, BIRMINGHAM, secure=True)
    notice = create_inbound_notice(db_session, contacts={"social_worker": None})
    query = query_notice(
        db_session, notice.id, question="Who is the social worker?", user_id=None, today=TODAY
    )

    message = render_notification(db_session, query.id)

    assert message.to == "placements@e08000025.example"
    assert "Child: Keira Whitlock" in message.text
    assert "14 Orchard Way, Worcester, WR1 2NA" in message.text
    assert "Keira Whitlock" not in message.subject


def _reconciliation(session: Session) -> Notification:
    written = reconcile(session, home_authority_code=HOME, today=TODAY).written
    return next(n for n in written if n.recipient_code == BIRMINGHAM)


def test_a_reconciliation_lists_initials_ids_starts_and_districts_for_an_ordinary_domain(
    db_session: Session,
) -> None:
    _secure(db_session, BIRMINGHAM, secure=False)
    _accepted(db_session)
    _accepted(
        db_session,
        child={"placing_authority_child_id": "C-60002", "given_name": "Tom", "family_name": "Ash"},
        placement={
            "start_date": (TODAY - timedelta(days=400)).isoformat(),
            "address": {"town": "Malvern", "postcode": "WR14 1AA"},
        },
    )

    message = render_notification(db_session, _reconciliation(db_session).id)

    assert message.subject == ("Please confirm: 2 children placed in Worcestershire by Birmingham")
    start = TODAY - timedelta(days=400)
    assert (
        f"- TA, your id C-60002: placed since {start.day} {start:%B %Y} in Malvern, WR14"
        in message.text
    )
    assert "- KW, your id C-55501" in message.text
    for private in ("Keira", "Whitlock", "Tom Ash", "WR14 1AA", "WR1 2NA"):
        assert private not in message.text and private not in message.html
    assert "not on a secure email domain" in message.text


def test_a_reconciliation_to_a_secure_domain_names_each_child(db_session: Session) -> None:
    _secure(db_session, BIRMINGHAM, secure=True)
    _accepted(db_session)

    message = render_notification(db_session, _reconciliation(db_session).id)

    assert "Keira Whitlock, born" in message.text
    assert "Worcester, WR1 2NA" in message.text
    assert (
        '<td style="padding: 6px 10px 6px 0; border-bottom: 1px solid #b1b4b6;">Keira Whitlock</td>'
        in message.html
    )
    assert "Please confirm: 1 child placed in" in message.subject


def test_a_child_whose_placement_here_ended_is_not_listed(db_session: Session) -> None:
    _secure(db_session, BIRMINGHAM, secure=False)
    _accepted(db_session, placement={"start_date": (TODAY - timedelta(days=90)).isoformat()})
    _accepted(db_session, child={"placing_authority_child_id": "C-60002"})
    _accepted(
        db_session,
        notice_type="placement_end",
        placement={
            "start_date": (TODAY - timedelta(days=90)).isoformat(),
            "end_date": (TODAY - timedelta(days=1)).isoformat(),
            "end_reason": "E13",
        },
    )

    message = render_notification(db_session, _reconciliation(db_session).id)

    assert "C-60002" in message.text and "C-55501" not in message.text


def test_our_partners_get_a_summary_without_name_and_a_link_to_the_childs_page(
    db_session: Session,
) -> None:
    create_partner_teams(db_session)
    notice = create_inbound_notice(db_session)
    done = accept_notice(db_session, notice.id, home_authority_code=HOME, user_id=None, today=TODAY)
    by_role = {n.recipient_role: n for n in done.notifications}

    school = render_notification(db_session, by_role["virtual_school"].id)
    health = render_notification(db_session, by_role["lac_health_team"].id)

    assert school.subject == "Placement start: KW (C-55501) from Birmingham"
    assert "School or education provider: Northwick Primary, URN 116789" in school.text
    assert "GP: Barbourne Surgery, ODS code M81001" in health.text
    assert f"http://notify.test/children/{done.child.id}" in school.text
    for message in (school, health):
        assert "Placed in: Worcester, WR1" in message.text
        for private in ("Keira", "Whitlock", "14 Orchard Way", "WR1 2NA"):
            assert private not in message.text and private not in message.html


def test_a_batch_with_queries_reconciliations_and_placement_notices_renders_each(
    db_session: Session,
) -> None:
    give_addresses(db_session, BIRMINGHAM)
    create_partner_teams(db_session)
    _accepted(db_session)
    query = query_notice(
        db_session,
        create_inbound_notice(db_session, child={"placing_authority_child_id": "C-7"}).id,
        question="GP?",
        user_id=None,
        today=TODAY,
    )
    reconciliation = _reconciliation(db_session)
    ids = list(db_session.scalars(select(Notification.id)))

    notices = load_notices(db_session, ids)

    assert not [n for n in notices.values() if isinstance(n, Exception)]
    assert notices[query.id].query is not None  # type: ignore[union-attr]
    assert notices[reconciliation.id].reconciliation is not None  # type: ignore[union-attr]
