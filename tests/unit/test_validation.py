from datetime import date

import pytest

from notify.validation import date_of_birth_problem, email_problem, nhs_number_problem

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "4010232137"])
def test_valid_nhs_numbers_pass(number: str) -> None:
    assert nhs_number_problem(number) is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("9434765918", "not valid"),
        ("943476591", "10 digits"),
        ("94347659AB", "10 digits"),
        ("", "10 digits"),
    ],
)
def test_invalid_nhs_numbers_say_why(number: str, message: str) -> None:
    problem = nhs_number_problem(number)
    assert problem is not None and message in problem


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    assert date_of_birth_problem(date(2027, 1, 1), TODAY) == "Date of birth must be in the past"


def test_a_date_of_birth_last_year_is_accepted() -> None:
    assert date_of_birth_problem(date(2025, 6, 1), TODAY) is None


@pytest.mark.parametrize("address", ["a@b.example", "placements@worcestershire.gov.uk"])
def test_plain_email_addresses_pass(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize(
    "address", ["no-at-sign", "two@@signs.example", "spaces in@x.example", "a@b"]
)
def test_malformed_email_addresses_are_refused(address: str) -> None:
    assert email_problem(address) is not None
