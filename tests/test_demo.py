"""The demo data set: shaped like the board report, deterministic, loaded once."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Approval, Authority, Child, Contact, HealthBody, Notification, Placement, User
from models.enums import NotificationStatus, Role
from notify import codes, create_app
from notify.auth.service import LockPolicy, authenticate
from notify.demo.children import DEMO_AUTHORITY, DEMO_PASSWORD, load_demo
from notify.demo.cli import demo
from notify.extensions import db
from tests.support.apps import dispose

POLICY = LockPolicy(after=5, minutes=15, key=b"test")

TODAY = date(2025, 11, 3)
SCALE = 0.5  # half the board report's numbers keeps the suite quick; proportions hold


@contextmanager
def _rolled_back(app: Flask) -> Iterator[Session]:
    """A session whose work is all undone afterwards (load_demo never commits)."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()
            connection.close()


@pytest.fixture(scope="class")
def demo_session(app: Flask) -> Iterator[Session]:
    """The demo at half size, loaded once for the tests of one class."""
    with _rolled_back(app) as session:
        session.info["counts"] = load_demo(session, DEMO_AUTHORITY, TODAY, seed=7, scale=SCALE)
        yield session


@pytest.fixture
def loaded(demo_session: Session) -> dict[str, int]:
    return demo_session.info["counts"]


def _current_out_of_area(session: Session) -> list[Placement]:
    return list(
        session.scalars(
            select(Placement)
            .join(Child)
            .where(
                Child.responsible_authority_code == DEMO_AUTHORITY,
                Placement.end_date.is_(None),
                Placement.location == "OUT",
            )
        )
    )


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


class TestTheDemoAtHalfSize:
    """Loaded once: the checks below only read."""

    def test_the_demo_has_about_as_many_children_out_and_in_county_as_the_board_report(
        self, demo_session, loaded
    ):
        current = demo_session.scalars(
            select(Placement)
            .join(Child)
            .where(Placement.end_date.is_(None), Child.responsible_authority_code == DEMO_AUTHORITY)
        ).all()
        out = sum(p.location == "OUT" for p in current)
        inside = sum(p.location == "IN" for p in current)
        assert out == pytest.approx(294 * SCALE, abs=3)
        assert inside == pytest.approx(500 * SCALE, abs=3)
        assert loaded["placed_out_of_area"] == out
        assert loaded["placed_in_county"] == inside
        assert loaded["left_care"] > 0

    def test_placements_out_of_county_are_split_as_in_the_board_report(self, demo_session, loaded):
        out = _current_out_of_area(demo_session)
        n = len(out)
        types = [p.placement_type for p in out]
        foster = [p for p in out if p.placement_type.startswith("U")]
        own_carers = [p for p in foster if p.provider == "PR1"]
        kinship = [p for p in own_carers if codes.is_connected_person_placement(p.placement_type)]
        assert _share(len(foster), n) == pytest.approx(0.46, abs=0.02)
        assert _share(sum(t in {"K2", "S1"} for t in types), n) == pytest.approx(0.34, abs=0.02)
        assert len(own_carers) == pytest.approx(66 * SCALE, abs=1)
        assert len(kinship) == pytest.approx(44 * SCALE, abs=1)
        assert sum(t.startswith("A") for t in types) == pytest.approx(23 * SCALE, abs=1)
        assert types.count("P1") == pytest.approx(6 * SCALE, abs=1)
        assert 1 <= sum(t in {"K1", "R5"} for t in types) <= 3

    def test_about_half_the_children_out_of_county_are_in_adjoining_authorities(
        self, demo_session, loaded
    ):
        out = _current_out_of_area(demo_session)
        assert _share(sum(p.adjoining for p in out), len(out)) == pytest.approx(0.52, abs=0.03)
        assert all(p.at_a_distance != p.adjoining for p in out)
        hosts = demo_session.scalars(
            select(Authority.nation).where(Authority.code.in_({p.host_authority_code for p in out}))
        ).all()
        assert {"wales", "scotland"} <= set(hosts)
        # PL_DISTANCE is blank for UASC and short breaks (DOMAIN.md §6), there for the rest
        blank = [p for p in out if p.child.uasc or p.placement_type in {"V3", "V4"}]
        assert all((p.distance_miles is None) == (p in blank) for p in out)

    def test_about_seven_percent_of_children_have_a_disability(self, demo_session, loaded):
        out = [p.child for p in _current_out_of_area(demo_session)]
        children = demo_session.scalars(select(Child)).all()
        for group in (out, children):
            assert _share(sum(c.disability for c in group), len(group)) == pytest.approx(
                0.07, abs=0.01
            )

    def test_children_are_0_to_17_with_mostly_full_care_orders(self, demo_session, loaded):
        current = demo_session.scalars(
            select(Child).join(Placement).where(Placement.end_date.is_(None))
        ).all()
        ages = [(TODAY - c.date_of_birth).days // 365.25 for c in current]
        assert min(ages) == 0 and max(ages) == 17
        statuses = [c.legal_status for c in current]
        assert _share(statuses.count("C2"), len(statuses)) > 0.6
        assert {"V2", "E1", "J2"} <= set(statuses)

    def test_each_child_has_one_to_four_placements_and_past_moves_carry_903_reasons(
        self, demo_session, loaded
    ):
        ours = select(Child).where(Child.responsible_authority_code == DEMO_AUTHORITY)
        for child in demo_session.scalars(ours):
            placements = child.placements
            assert 1 <= len(placements) <= 4
            for earlier, later in zip(placements, placements[1:], strict=False):
                assert earlier.end_date is not None
                assert codes.is_valid("REC", earlier.end_reason)
                assert codes.is_valid("REASON_PLACE_CHANGE", later.reason_for_change)
            for p in placements:
                assert codes.is_valid("PLACE", p.placement_type, on=p.start_date)
                assert codes.is_valid("PLACE_PROVIDER", p.provider)
        assert demo_session.scalar(select(func.count()).where(Placement.emergency)) > 0

    def test_most_out_of_area_placements_needing_approval_have_it_and_a_few_await_it(
        self, demo_session, loaded
    ):
        out = _current_out_of_area(demo_session)
        needing = [
            p
            for p in out
            if not codes.is_connected_person_placement(p.placement_type)
            and not codes.is_own_foster_carer(p.placement_type, p.provider)
        ]
        awaiting = [p for p in needing if not p.approvals]
        assert 1 <= len(awaiting) <= 5
        assert loaded["awaiting_approval"] == len(awaiting)
        directors = demo_session.scalars(select(Approval).where(Approval.level == "director")).all()
        assert directors and all(a.area_authority_consulted and a.care_plan_sent for a in directors)

    def test_every_authority_and_health_body_has_an_address_but_a_handful(
        self, demo_session, loaded
    ):
        missing = demo_session.scalar(
            select(func.count())
            .select_from(Authority)
            .where(Authority.notification_email.is_(None))
        ) + demo_session.scalar(
            select(func.count())
            .select_from(HealthBody)
            .where(HealthBody.notification_email.is_(None))
        )
        assert 1 <= missing <= 5
        needs_address = demo_session.scalars(
            select(Notification).where(Notification.status == NotificationStatus.NEEDS_ADDRESS)
        ).all()
        assert needs_address
        assert all((TODAY - n.send_by).days <= 60 for n in needs_address)
        assert (
            demo_session.scalar(
                select(Authority.notification_email).where(Authority.code == "E06000019")
            )
            == "placements@herefordshire.example"
        )

    def test_contacts_use_reserved_domains_and_sqa_has_a_team_address(self, demo_session, loaded):
        emails = demo_session.scalars(select(Contact.email).where(Contact.email.is_not(None))).all()
        assert emails and all(e.endswith(".example") for e in emails)
        roles = set(demo_session.scalars(select(Contact.role)))
        assert {"gp", "school", "iro", "sqa"} <= roles
        sqa = demo_session.scalar(select(Contact).where(Contact.role == "sqa"))
        assert sqa.authority_code == DEMO_AUTHORITY

    def test_children_have_their_own_people_a_few_withheld_and_a_few_by_post_only(
        self, demo_session, loaded
    ):
        parents = demo_session.scalars(select(Contact).where(Contact.role == "parent")).all()
        ours = demo_session.scalar(
            select(func.count())
            .select_from(Child)
            .where(Child.responsible_authority_code == DEMO_AUTHORITY)
        )
        assert len(parents) > ours  # most children have a mother, many a father too
        withheld = [p for p in parents if p.withhold_reason]
        assert 0 < len(withheld) < len(parents) / 10
        assert all(p.withhold_decided_by and p.withhold_decided_on for p in withheld)
        by_post = [p for p in parents if p.email is None]
        assert by_post and all(p.address_line_1 and p.postcode for p in by_post)
        roles = set(demo_session.scalars(select(Contact.role).where(Contact.child_id.is_not(None))))
        assert {"child", "parent", "contact_order_holder", "gp", "school", "iro"} <= roles

    def test_old_notifications_are_settled_and_recent_ones_are_in_every_state(
        self, demo_session, loaded
    ):
        rows = demo_session.scalars(select(Notification)).all()
        # reminders and escalations are not themselves acknowledged
        old = [n for n in rows if (TODAY - n.send_by).days > 90 and n.reminder_of_id is None]
        acknowledged = [n for n in old if n.status == NotificationStatus.ACKNOWLEDGED]
        assert _share(len(acknowledged), len(old)) > 0.98
        assert all(n.acknowledged_at and n.acknowledged_via for n in acknowledged)
        states = {n.status for n in rows}
        assert {"pending", "sent", "acknowledged", "needs_address"} <= states
        assert any(n.escalated_at for n in rows)

    def test_our_sqa_managers_have_a_directory_entry_beside_the_sqa_team(
        self, demo_session, loaded
    ):
        roles = set(
            demo_session.scalars(
                select(Contact.role).where(Contact.authority_code == DEMO_AUTHORITY)
            )
        )
        assert {"sqa", "sqa_manager"} <= roles

    def test_some_authorities_answer_fast_some_slowly_and_a_few_not_at_all_lately(
        self, demo_session, loaded
    ):
        notices = demo_session.scalars(
            select(Notification).where(
                Notification.recipient_kind == "authority",
                Notification.event.in_(("placement_start", "address_change", "placement_end")),
                Notification.sent_at.is_not(None),
            )
        ).all()
        by_authority: dict[str, list[Notification]] = {}
        for n in notices:
            by_authority.setdefault(n.recipient_code, []).append(n)
        overdue = {
            code
            for code, ns in by_authority.items()
            if any(n.status == "sent" and n.acknowledge_by < TODAY for n in ns)
        }
        answered_in_time = {
            code: sum(
                n.acknowledged_at is not None and n.acknowledged_at.date() <= n.acknowledge_by
                for n in ns
            )
            / len(ns)
            for code, ns in by_authority.items()
            if len(ns) >= 5
        }
        assert 2 <= len(overdue) <= 15
        assert max(answered_in_time.values()) > 0.9
        assert min(answered_in_time.values()) < 0.5

    def test_overdue_notices_carry_the_reminders_and_escalations_chasing_would_have_written(
        self, demo_session, loaded
    ):
        chased = demo_session.scalars(
            select(Notification).where(Notification.reminders_sent > 0)
        ).all()
        assert chased and all(n.reminders_sent <= 3 and n.last_reminded_on for n in chased)
        reminders = demo_session.scalars(
            select(Notification).where(Notification.event == "reminder")
        ).all()
        assert len(reminders) == sum(n.reminders_sent for n in chased)
        for reminder in reminders:
            original = reminder.reminder_of
            assert original is not None and 1 <= reminder.chase_number <= original.reminders_sent
            assert reminder.recipient_code == original.recipient_code
        escalations = demo_session.scalars(
            select(Notification).where(Notification.event == "escalation")
        ).all()
        assert escalations
        assert {e.recipient_role for e in escalations} == {"sqa_manager"}
        assert all(e.reminder_of.escalated_at is not None for e in escalations)
        overdue = [n for n in chased if n.status == "sent" and n.acknowledge_by < TODAY]
        assert overdue and all((TODAY - n.acknowledge_by).days < 120 for n in overdue)

    def test_a_few_notices_were_sent_late(self, demo_session, loaded):
        sent = demo_session.scalars(
            select(Notification).where(
                Notification.sent_at.is_not(None), Notification.reminder_of_id.is_(None)
            )
        ).all()
        late = [n for n in sent if n.sent_at.date() > n.send_by]
        assert 0.02 < len(late) / len(sent) < 0.12

    def test_there_is_one_user_per_role_with_the_demo_password(self, demo_session, loaded):
        users = demo_session.scalars(select(User)).all()
        assert sorted(u.role for u in users) == sorted(r.value for r in Role)
        for role in Role:
            assert authenticate(
                demo_session, f"{role.value}@worcestershire.example", DEMO_PASSWORD, POLICY
            ).user


def _snapshot(session: Session) -> list[tuple]:
    rows = session.execute(
        select(
            Child.case_reference,
            Child.given_name,
            Child.family_name,
            Child.date_of_birth,
            Child.legal_status,
            Placement.start_date,
            Placement.end_date,
            Placement.placement_type,
            Placement.provider,
            Placement.postcode,
            Placement.carer_name,
            Placement.emergency,
        )
        .join(Placement)
        .order_by(Child.case_reference, Placement.start_date)
    ).all()
    notices = session.execute(
        select(
            Notification.recipient_role,
            Notification.recipient_code,
            Notification.status,
            Notification.send_by,
            Notification.sent_at,
        ).order_by(Notification.id)
    ).all()
    return [tuple(r) for r in rows] + [tuple(n) for n in notices]


def test_loading_is_deterministic_for_a_seed(app):
    snapshots = []
    for seed in (11, 11, 12):
        with _rolled_back(app) as session:
            load_demo(session, DEMO_AUTHORITY, TODAY, seed=seed, scale=0.05)
            snapshots.append(_snapshot(session))
    assert snapshots[0] == snapshots[1]
    assert snapshots[0] != snapshots[2]


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_seed_demo_if_empty_loads_once_and_then_does_nothing(app, db_session):
    runner = app.test_cli_runner()
    first = runner.invoke(demo, ["--if-empty", "--scale", "0.05"])
    assert first.exit_code == 0, first.output
    children, notices = _count(db_session, Child), _count(db_session, Notification)
    assert children > 0
    assert f"'{DEMO_PASSWORD}'" in first.output
    assert "manager@worcestershire.example" in first.output

    second = runner.invoke(demo, ["--if-empty", "--scale", "0.05"])
    assert second.exit_code == 0, second.output
    assert "not loaded" in second.output
    assert (_count(db_session, Child), _count(db_session, Notification)) == (children, notices)

    without_flag = runner.invoke(demo, ["--scale", "0.05"])
    assert without_flag.exit_code != 0
    assert _count(db_session, Child) == children


def test_the_command_prints_no_child_names_or_birth_dates(app, db_session):
    result = app.test_cli_runner().invoke(demo, ["--scale", "0.05"])
    assert result.exit_code == 0, result.output
    children = db_session.scalars(select(Child)).all()
    assert children
    for child in children:
        assert child.family_name not in result.output
        assert child.date_of_birth.isoformat() not in result.output
        assert f"{child.date_of_birth:%d/%m/%Y}" not in result.output


def test_seed_demo_refuses_in_production(app: Flask, db_session: Session) -> None:
    app.config["ENV_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(demo, [])
    finally:
        app.config["ENV_NAME"] = "testing"

    assert result.exit_code == 1
    assert "never loaded in production" in result.output
    assert db_session.scalar(select(func.count()).select_from(Child)) == 0


def test_seed_demo_refuses_when_notify_env_is_production(
    own_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As an operator would meet it: the settings read from the environment, not a test's."""
    monkeypatch.setenv("NOTIFY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a production secret for this test")
    monkeypatch.setenv("DATABASE_URL", own_database)
    production = create_app()
    try:
        result = production.test_cli_runner().invoke(demo, [])
        with production.app_context():
            children = db.session.scalar(select(func.count()).select_from(Child))
    finally:
        dispose(production)

    assert production.config["ENV_NAME"] == "production"
    assert result.exit_code == 1
    assert "never loaded in production (NOTIFY_ENV=production)" in result.output
    assert children == 0
