"""Field checks shared by the web forms and the API schemas (pure)."""

import ipaddress
import re
from datetime import date, timedelta

NHS_NUMBER = re.compile(r"^\d{10}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OLDEST_CHILD_YEARS = 26  # care leavers are supported to 25
CASE_REFERENCE_LENGTH = 40  # the column's width
# Tab, line feed and carriage return may stand in free text written over several lines (a
# note, the risks); no other control character may (PostgreSQL refuses NUL outright).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Everything else is one line: a line break in a name or a reference ends up in an email's
# headers or a CSV row, where it breaks every notice about the child for good.
LINE_BREAKS = re.compile(r"[\t\n\r\x85\u2028\u2029]")


# Names that never leave the machine or the local network.
LOCAL_NAMES = ("localhost", "localhost.localdomain")
LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".lan", ".home.arpa")
# A host name's last label is a real top-level domain: letters, or an internationalised one.
# (This refuses "10.1" or "0x7f.1", which resolvers read as addresses.)
TOP_LEVEL_DOMAIN = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")


def public_host_problem(host: str, *, allow_loopback: bool = False) -> str | None:
    """Why `host` (a URL's host: a name or an IP address) is not an address on the internet,
    or None. With `allow_loopback` (development, the tests), this machine is allowed too."""
    name = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is not None:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if address.is_loopback and allow_loopback:
            return None
        if not address.is_global or address.is_multicast:
            return (
                f"{host} is a loopback, private or link-local address: the API endpoint must "
                "be an address on the internet"
            )
        return None
    if name in LOCAL_NAMES or name.endswith(LOCAL_SUFFIXES):
        if allow_loopback and (name in LOCAL_NAMES or name.endswith(".localhost")):
            return None
        return f"{host} is a local name: the API endpoint must be an address on the internet"
    labels = name.split(".")
    if len(labels) < 2 or not TOP_LEVEL_DOMAIN.fullmatch(labels[-1]):
        return "Enter the API endpoint with its full host name, like placements.example.gov.uk"
    return None


def is_loopback_host(host: str) -> bool:
    """Whether `host` names this machine (127.0.0.1, ::1, localhost)."""
    name = host.lower().rstrip(".")
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return name in LOCAL_NAMES or name.endswith(".localhost")


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
