"""Every headline count on the dashboard links to its list, and the list holds that many rows;
the lists' contents counted by hand from the small world (tests/dashboard/fixtures.py)."""

import re

import pytest

from notify.dashboard.lists import NoticeList, PlacementList, notice_list, placement_list
from tests.support.builders import HOME, WORLD_TODAY, World, create_world
from tests.support.requests import expect_status, sign_in


@pytest.fixture
def world(db_session) -> World:
    world = create_world(db_session)
    db_session.commit()
    return world


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (NoticeList.AWAITING, {"n1", "n2", "n3", "n4"}),
        (NoticeList.UNDELIVERED, {"n8", "n9", "n10"}),
        (NoticeList.LATE, {"n11"}),  # n13 was late last quarter
    ],
)
def test_each_notice_list_holds_what_its_headline_counts(db_session, world, kind, expected):
    total, rows = notice_list(db_session, kind, WORLD_TODAY)
    by_id = {n.id: key for key, n in world.notices.items()}
    assert {by_id[r.notification_id] for r in rows} == expected
    assert total == len(expected)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (PlacementList.OUT_OF_AREA, {"c1", "c2", "c3", "c6"}),
        (PlacementList.AWAITING_APPROVAL, {"c2", "c6"}),  # c6 needs the director's
    ],
)
def test_each_placement_list_holds_what_its_headline_counts(db_session, world, kind, expected):
    total, rows = placement_list(db_session, kind, HOME, WORLD_TODAY)
    by_id = {c.id: key for key, c in world.children.items()}
    assert {by_id[r.child_id] for r in rows} == expected
    assert total == len(expected)


def test_every_headline_count_is_a_link_to_a_list_of_that_many(client, db_session, world):
    sign_in(client, db_session, "sqa_officer")
    html = expect_status(client.get("/dashboard/panels/headlines"), 200).text
    cards = re.findall(r'<div class="app-stat[^"]*"[^>]*>(.*?)</div>', html, re.S)
    assert len(cards) == 6
    for card in cards:
        found = re.search(r'href="([^"]+)".*?app-stat__number">([\d,]+)<', card, re.S)
        assert found, f"a headline without a link: {card}"
        href, number = found.groups()
        if href.startswith("/dashboard/chase-list"):
            continue  # the chase list has its own tests
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert re.search(rf'data-testid="list-total">{number} ', listed.text), href


@pytest.mark.parametrize("url", ["/dashboard/notices/everything", "/dashboard/placements/x"])
def test_an_unknown_list_is_not_found(client, db_session, url):
    sign_in(client, db_session, "sqa_officer")
    assert client.get(url).status_code == 404


def test_social_workers_may_not_see_the_lists(client, db_session):
    sign_in(client, db_session, "social_worker")
    assert client.get("/dashboard/notices/awaiting-acknowledgement").status_code == 403
