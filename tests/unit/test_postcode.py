import pytest
from hypothesis import given
from hypothesis import strategies as st

from notify.geography.postcode import PostcodeError, is_postcode, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("WR1 2AB", "WR1 2AB"),
        ("wr12ab", "WR1 2AB"),
        ("  Wr1   2aB ", "WR1 2AB"),
        ("w r 1 2 a b", "WR1 2AB"),
        ("hr1\t1aa", "HR1 1AA"),
        ("M1 1AE", "M1 1AE"),  # A9 9AA
        ("B33 8TH", "B33 8TH"),  # A99 9AA
        ("CR2 6XH", "CR2 6XH"),  # AA9 9AA
        ("DN55 1PT", "DN55 1PT"),  # AA99 9AA
        ("W1A 0AX", "W1A 0AX"),  # A9A 9AA
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A 9AA
        ("SW1A 2AA", "SW1A 2AA"),
        ("NW1W 9ZZ", "NW1W 9ZZ"),
        ("se1p5zz", "SE1P 5ZZ"),  # non-geographic (PO boxes)
        ("BX1 1LT", "BX1 1LT"),  # non-geographic area
        ("N1P 1AD", "N1P 1AD"),
        ("gir0aa", "GIR 0AA"),  # Girobank: the one postcode outside the pattern
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_normalise_postcode_accepts_any_case_and_spacing(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "hello",
        "WR1",  # outward code only
        "WR1 2A",
        "WR1 2ABC",
        "12345",
        "WR1-2AB",
        "QA1 1AA",  # Q never leads
        "VA1 1AA",
        "XA1 1AA",
        "AI1 1AA",  # I never second
        "AJ1 1AA",
        "AZ1 1AA",
        "W1I 1AA",  # I cannot follow a single-letter area's digit
        "EC1C 1AA",  # C cannot end a two-letter area's district
        "WR1 2CB",  # inward letters never C I K M O V
        "WR1 2AI",
        "WR1 2MO",
        "WR123 1AB",
        "GIR 0AB",
        "WR1 2AB X",
    ],
)
def test_normalise_postcode_rejects_what_is_not_a_postcode(typed: str) -> None:
    with pytest.raises(PostcodeError) as raised:
        normalise_postcode(typed)
    assert raised.value.message == "Enter a real postcode, like WR1 2AB"
    assert str(raised.value) == raised.value.message


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_normalise_postcode_asks_for_a_postcode_when_nothing_was_typed(typed: str | None) -> None:
    with pytest.raises(PostcodeError, match="^Enter a postcode, like WR1 2AB$"):
        normalise_postcode(typed)


def test_is_postcode_says_whether_text_is_well_formed() -> None:
    assert is_postcode("wr1 2ab")
    assert not is_postcode("WR1")


inward = st.tuples(
    st.sampled_from("0123456789"),
    st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
    st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
).map("".join)
outward = st.sampled_from(["WR1", "B33", "CR2", "DN55", "W1A", "EC1A", "M1", "HR9"])


@given(outward, inward, st.lists(st.sampled_from([" ", "\t"]), max_size=3), st.booleans())
def test_normalising_is_idempotent_and_ignores_spacing_and_case(
    out: str, inw: str, spaces: list[str], lower: bool
) -> None:
    typed = out + "".join(spaces) + inw
    normalised = normalise_postcode(typed.lower() if lower else typed)
    assert normalised == f"{out} {inw}"
    assert normalise_postcode(normalised) == normalised
