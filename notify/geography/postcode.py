"""UK postcodes: normalise what a person typed and check it has the official shape."""

import re

EXAMPLE = "WR1 2AB"

# The outward code: area (1-2 letters) + district (digit, then an optional digit or letter),
# with the letters each position may hold (BS 7666 / Royal Mail): Q, V, X never lead; I, J, Z
# never come second; only A B C D E F G H J K P S T U W may follow a single-letter area's
# digit (W1A, EC1A is a two-letter area: its fourth letter is from A B E H M N P R V W X Y).
# The inward code: a digit and two letters, never C I K M O V.
_OUTWARD = (
    r"(?:"
    r"[A-PR-UWYZ][0-9][0-9]?"  # A9, A99
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"  # AA9, AA99
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # A9A
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"  # AA9A
    r")"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"(?P<outward>{_OUTWARD})(?P<inward>{_INWARD})")
# Girobank's GIR 0AA breaks the pattern but is a real postcode.
_SPECIAL = {"GIR0AA": "GIR 0AA"}


class PostcodeError(ValueError):
    """A postcode that cannot be used, with a message a person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_postcode(text: str | None) -> str:
    """Return the postcode in "OUT IN" form (upper case, one space), or raise PostcodeError."""
    squeezed = "".join((text or "").split()).upper()
    if not squeezed:
        raise PostcodeError(f"Enter a postcode, like {EXAMPLE}")
    if squeezed in _SPECIAL:
        return _SPECIAL[squeezed]
    match = _POSTCODE.fullmatch(squeezed)
    if match is None:
        raise PostcodeError(f"Enter a real postcode, like {EXAMPLE}")
    return f"{match['outward']} {match['inward']}"


def is_postcode(text: str | None) -> bool:
    """True when the text is a well-formed UK postcode in any case or spacing."""
    try:
        normalise_postcode(text)
    except PostcodeError:
        return False
    return True
