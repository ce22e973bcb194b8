"""A council's service in the council's own look (issue 15): its name from the settings in the
header, its own footer links, and none of what belongs to services on GOV.UK only: the
crown, the GOV.UK logotype, the Royal Arms and Crown copyright."""

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.support.requests import expect_status, sign_in

GOV_UK_ONLY = ("Crown copyright", "govuk-logo", "govuk-header__logotype", "Royal Arms")


@pytest.fixture
def council(app: Flask) -> Iterator[Flask]:
    saved = dict(app.config)
    app.config.update(
        ORGANISATION_NAME="Example Borough Council",
        PRIVACY_NOTICE_URL="https://www.example-borough.gov.uk/privacy",
    )
    yield app
    app.config.clear()
    app.config.update(saved)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_carries_the_councils_name_and_nothing_of_gov_uk(
    council: Flask, client: FlaskClient, db_session: Session, signed_in: bool
) -> None:
    if signed_in:
        sign_in(client, db_session, "sqa_officer")
        paths = ["/dashboard", "/children", "/dashboard/chase-list"]
    else:
        paths = ["/sign-in", "/accessibility", "/privacy"]

    for path in paths:
        page = expect_status(client.get(path), 200).get_data(as_text=True)

        header = re.search(r"<header.*?</header>", page, re.S)
        footer = re.search(r"<footer.*?</footer>", page, re.S)
        assert header and footer, path
        assert "Example Borough Council" in header.group(0), path
        assert "GOV.UK" not in header.group(0) + footer.group(0), path
        for mark in GOV_UK_ONLY:
            assert mark not in page, (path, mark)
        assert 'href="https://www.example-borough.gov.uk/privacy"' in page, path
