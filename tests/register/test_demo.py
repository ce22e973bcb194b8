"""The host register's demo data: about 480 children placed here by many authorities, most
by our neighbours, a triage queue, and our partner teams; quick to load."""

import random
import time
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Child, Contact, InboundNotice, Notification, Placement
from notify.demo.hosted import seed_hosted
from notify.register.queries import RegisterFilters, register_page
from notify.register.service import accept_notice
from tests.support.builders import HOME, TODAY

NEIGHBOURS = {
    *("E08000025", "E08000027", "E08000028", "E08000031", "E08000030", "E08000029", "E08000026"),
    *("E06000019", "E06000051", "E10000013", "E10000031", "E10000028"),
}


def test_the_demo_register_looks_like_worcestershires(db_session: Session) -> None:
    started = time.perf_counter()
    counts = seed_hosted(db_session, random.Random(2022), TODAY)
    took = time.perf_counter() - started

    assert took < 10
    assert counts["hosted_children"] == 480
    hosted = db_session.scalars(select(Child).where(Child.responsible_authority_code != HOME)).all()
    assert len(hosted) == 480
    by_authority = Counter(c.responsible_authority_code for c in hosted)
    assert len(by_authority) >= 15
    assert sum(n for code, n in by_authority.items() if code in NEIGHBOURS) > 480 * 0.6
    types = Counter(
        db_session.scalars(
            select(Placement.placement_type)
            .join(Child)
            .where(Child.responsible_authority_code != HOME)
        )
    )
    assert types["U4"] + types["U6"] > sum(types.values()) * 0.4 and types["K2"] > 20
    statuses = Counter(db_session.scalars(select(InboundNotice.status)))
    assert (statuses["received"], statuses["queried"]) == (25, 8)
    assert statuses["accepted"] == counts["inbound_notices_accepted"] >= 480
    assert (
        db_session.scalar(
            select(func.count()).select_from(Notification).where(Notification.event == "query")
        )
        == 8
    )
    teams = db_session.scalars(select(Contact.role).where(Contact.authority_code == HOME)).all()
    assert {"virtual_school", "lac_health_team"} <= set(teams)
    page = register_page(db_session, HOME, TODAY, RegisterFilters(status="all"), datetime.now(UTC))
    assert page.total == 480
    ages = [(TODAY - c.date_of_birth).days // 365 for c in hosted]
    assert min(ages) == 0 and max(ages) == 17


def test_every_notice_waiting_in_the_demo_queue_can_be_accepted(db_session: Session) -> None:
    seed_hosted(db_session, random.Random(7), TODAY)
    waiting = db_session.scalars(
        select(InboundNotice).where(InboundNotice.status != "accepted")
    ).all()

    for notice in waiting:
        accept_notice(db_session, notice.id, home_authority_code=HOME, user_id=None, today=TODAY)

    assert {n.status for n in waiting} == {"accepted"}
