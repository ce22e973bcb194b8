"""A social worker's home page: their caseload and what needs their action, counted by hand
from the dashboard's small world (tests/dashboard/fixtures.py)."""

import re

import pytest
from sqlalchemy import update

from models import Notification
from notify.mywork.queries import Need, caseload, count_my_work, needing_action
from tests.support.builders import SIGN_IN_PASSWORD, WORLD_TODAY, World, create_world
from tests.support.requests import expect_status


@pytest.fixture
def world(db_session) -> World:
    world = create_world(db_session)
    # Leeds's system answered n2 with a question: a query from a host authority
    db_session.execute(
        update(Notification)
        .where(Notification.id == world.notices["n2"].id)
        .values(channel="api", last_error="Rejected by Leeds: which school will the child attend?")
    )
    db_session.commit()
    return world


def _sign_in_as(client, user) -> None:
    response = client.post("/sign-in", data={"email": user.email, "password": SIGN_IN_PASSWORD})
    assert response.status_code == 302


# Pat has c1, c2, c3 and c5; c6 (with n10 waiting for an address) is Kim's.
@pytest.mark.parametrize(
    ("need", "expected"),
    [
        (Need.NEEDS_ADDRESS, {"n9"}),  # n10 is Kim's child's
        (Need.LATE, {"n8", "n9"}),  # failed, and waiting for an address, past send-by
        (Need.QUERIED, {"n2"}),
    ],
)
def test_needs_my_action_lists_only_my_childrens_notices_of_each_kind(
    db_session, world, need, expected
):
    rows = needing_action(db_session, world.social_worker.id, need, WORLD_TODAY)
    ids = {key for key, n in world.notices.items() if n.id in {r.notification_id for r in rows}}
    assert ids == expected
    counts = count_my_work(db_session, world.social_worker.id, WORLD_TODAY)
    assert counts.needs[need] == len(expected)


def test_the_caseload_is_my_children_with_where_each_is_placed_now(db_session, world):
    rows = caseload(db_session, world.social_worker.id, WORLD_TODAY)
    assert [r.child_id for r in rows] == sorted(
        (world.children[k].id for k in ("c1", "c2", "c3", "c5")),
        key=lambda cid: next(r.name for r in rows if r.child_id == cid),
    )
    by_child = {r.child_id: r for r in rows}
    assert by_child[world.children["c2"].id].host_authority == "Leeds"
    assert by_child[world.children["c2"].id].location == "OUT"
    assert by_child[world.children["c5"].id].location is None  # ended in January
    assert count_my_work(db_session, world.social_worker.id, WORLD_TODAY).children == 4


def test_a_social_workers_home_page_is_their_work_and_each_count_links_to_its_list(
    client, db_session, world
):
    _sign_in_as(client, world.social_worker)
    assert expect_status(client.get("/"), 302).headers["Location"] == "/my-work"
    html = expect_status(client.get("/my-work"), 200).text
    assert "My caseload: 4 children" in html
    links = re.findall(r'href="(/my-work/[a-z-]+)".*?app-stat__number">(\d+)<', html, re.S)
    assert len(links) == len(Need)
    for href, number in links:
        listed = client.get(href)
        assert listed.status_code == 200
        assert listed.text.count('data-label="Child"') == int(number), href


def test_another_workers_children_are_not_in_my_caseload(client, db_session, world):
    _sign_in_as(client, world.other_worker)
    html = expect_status(client.get("/my-work"), 200).text
    assert "My caseload: 1 child" in html
    assert world.children["c1"].case_reference not in html


def test_an_unknown_list_is_not_found(client, db_session, world):
    _sign_in_as(client, world.social_worker)
    assert client.get("/my-work/everything").status_code == 404


@pytest.mark.parametrize("role", ["business_support", "sqa_officer"])
def test_other_roles_have_no_caseload_page(client, db_session, role):
    from tests.support.requests import sign_in

    sign_in(client, db_session, role)
    assert client.get("/my-work").status_code == 403
