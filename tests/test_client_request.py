"""The request helper: a page by endpoint name, and a test failed by any other status than
the one it expects."""

import pytest

from tests.support.requests import ClientRequest


def test_a_page_is_fetched_by_its_endpoint_name_and_its_status_checked(
    client_request: ClientRequest,
) -> None:
    page = client_request.get("auth.sign_in")

    assert "Sign in" in page.get_data(as_text=True)


def test_any_other_status_than_the_expected_one_fails_the_test(
    client_request: ClientRequest,
) -> None:
    client_request.sign_in("sqa_officer")

    with pytest.raises(AssertionError, match="404, expected 200"):
        client_request.get("placements.child_page", child_id=987654321)
    client_request.get("placements.child_page", child_id=987654321, _expected_status=404)


def test_a_form_post_is_expected_to_redirect(client_request: ClientRequest) -> None:
    client_request.sign_in()

    response = client_request.post("auth.sign_out")

    assert response.headers["Location"] == client_request.url("auth.sign_in")
    signed_out = client_request.get("placements.child_page", child_id=1, _expected_status=302)
    assert signed_out.headers["Location"].startswith(client_request.url("auth.sign_in"))
