"""Field checks shared by the web forms and the API schemas (pure)."""

import re
from datetime import date, timedelta

NHS_NUMBER = re.compile(r"^\d{10}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OLDEST_CHILD_YEARS = 26  # care leavers are supported to 25
# Tab, line feed and carriage return may stand in free text written over several lines (a
# note, the risks); no other control character may (PostgreSQL refuses NUL outright).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Everything else is one line: a line break in a name or a reference ends up in an email's
# headers or a CSV row, where it breaks every notice about the child for good.
LINE_BREAKS = re.compile(r"[\t\n\r\x85\u2028\u2029]")


def characters_problem(value: str, name: str, *, multiline: bool = False) -> str | None:
    """Why `value` (the answer to `name`) holds characters it may not, or None: a control
    character anywhere, a line break or tab outside text written over several lines."""
    if CONTROL_CHARACTERS.search(value):
        return f"{name} must not contain control characters"
    if not multiline and LINE_BREAKS.search(value):
        return f"{name} must be on one line: remove the line break or tab"
    return None


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit of an NHS number's first nine digits; None where the
    remainder gives 10, which no NHS number may have."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return None if check == 10 else check


def nhs_number_problem(value: str) -> str | None:
    """Why `value` is not a valid NHS number (10 digits, modulus 11 check digit), or None."""
    digits = value.replace(" ", "")
    if not NHS_NUMBER.match(digits):
        return "NHS number must be 10 digits, like 943 476 5919"
    check = nhs_check_digit(digits[:9])
    if check is None or check != int(digits[9]):
        return "NHS number is not valid: check the digits"
    return None


def date_of_birth_problem(value: date, today: date) -> str | None:
    if value > today:
        return "Date of birth must be in the past"
    if value < today - timedelta(days=365.25 * OLDEST_CHILD_YEARS):
        return f"Date of birth must be within the last {OLDEST_CHILD_YEARS} years"
    return None


def placement_date_problem(value: date, today: date, label: str = "Start date") -> str | None:
    if value < date(2000, 1, 1):
        return f"{label} must be after 1 January 2000"
    if value > today + timedelta(days=366):
        return f"{label} must be within the next year"
    return None


def email_problem(value: str) -> str | None:
    if len(value) > 254 or not EMAIL.match(value):
        return "Enter an email address in the correct format, like name@example.org"
    return None
