"""SSDA903 code lists (DfE children looked after return), versioned by collection year.

Plain data and small functions; no Flask. Descriptions follow the DfE guide to the
collection. A collection year runs from 1 April to 31 March and is named "2024-25".
Years after the last list here use the last list (the DfE carries lists forward unless
its guide says otherwise); years before the first use the first.
"""

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

YEARS = ("2023-24", "2024-25", "2025-26")

# The columns of the return's header and episodes files.
HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)
# 903 types with no provider (the DfE leaves PLACE_PROVIDER blank for them).
NO_PROVIDER = frozenset({"T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"})

# Placement type (PLACE), 2023-24.
_PLACE_2023 = {
    "A3": "Placed for adoption with parental/guardian consent with current foster carer(s) "
    "(under section 19 of the Adoption and Children Act 2002) or with a freeing order where "
    "parental/guardian consent has been given (under section 18(1)(a) of the Adoption Act "
    "1976)",
    "A4": "Placed for adoption with parental/guardian consent not with current foster "
    "carer(s) (under section 19 of the Adoption and Children Act 2002) or with a freeing "
    "order where parental/guardian consent has been given (under section 18(1)(a) of the "
    "Adoption Act 1976)",
    "A5": "Placed for adoption with placement order with current foster carer(s) (under "
    "section 21 of the Adoption and Children Act 2002) or with a freeing order where "
    "parental/guardian consent was dispensed with (under section 18(1)(b) of the Adoption "
    "Act 1976)",
    "A6": "Placed for adoption with placement order not with current foster carer(s) (under "
    "section 21 of the Adoption and Children Act 2002) or with a freeing order where "
    "parental/guardian consent was dispensed with (under section 18(1)(b) of the Adoption "
    "Act 1976)",
    "H5": "Semi-independent living accommodation not subject to children's homes regulations",
    "K1": "Secure children's homes",
    "K2": "Children's homes subject to Children's Homes Regulations",
    "P1": "Placed with own parent(s) or other person(s) with parental responsibility",
    "P2": "Independent living, for example in a flat, lodgings, bedsit, bed and breakfast "
    "(B&B) or with friends, with or without formal support",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "National Health Service (NHS)/health trust or other establishment providing "
    "medical or nursing care",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution (YOI)",
    "S1": "All residential schools, except where dual-registered as a school and children's home",
    "T0": "All types of temporary move",
    "T1": "Temporary periods in hospital",
    "T2": "Temporary absences of the child on holiday",
    "T3": "Temporary accommodation whilst normal foster carer(s) is/are on holiday",
    "T4": "Temporary accommodation of seven days or less, for any reason, not covered by "
    "codes T1 to T3",
    "U1": "Foster placement with relative(s) or friend(s) – long term fostering",
    "U2": "Fostering placement with relative(s) or friend(s) who is/are also an approved "
    "adopter(s) – fostering for adoption/concurrent planning",
    "U3": "Fostering placement with relative(s) or friend(s) who is/are not long-term or "
    "fostering for adoption/concurrent planning",
    "U4": "Foster placement with other foster carer(s) – long term fostering",
    "U5": "Foster placement with other foster carer(s) who is/are also an approved "
    "adopter(s) – fostering for adoption/concurrent planning",
    "U6": "Foster placement with other foster carer(s) – not long term or fostering for "
    "adoption/concurrent planning",
    "Z1": "Other placements (must be listed on a schedule sent to DfE with the annual submission)",
}

# 2024-25 adds K3 (supported accommodation registered with Ofsted since October 2023).
_PLACE_2024 = {**_PLACE_2023, "K3": "Registered supported accommodation"}

# 2025-26 removes H5, P2 and Z1 and adds Z11-Z14 in place of Z1. The codes are those the
# DfE's 2025-26 validation rules accept; their wording here is ours, not yet checked
# against the DfE guide, so it names the code rather than guessing a definition.
_PLACE_2025 = {
    **{code: text for code, text in _PLACE_2024.items() if code not in {"H5", "P2", "Z1"}},
    "Z11": "Other placement (903 code Z11: see the DfE 2025-26 guide)",
    "Z12": "Other placement (903 code Z12: see the DfE 2025-26 guide)",
    "Z13": "Other placement (903 code Z13: see the DfE 2025-26 guide)",
    "Z14": "Other placement (903 code Z14: see the DfE 2025-26 guide)",
}

_PLACE_PROVIDER = {
    "PR0": "Parent(s) or other person(s) with parental responsibility",
    "PR1": "Own provision (by the local authority), including a regional adoption agency "
    "where the child's responsible local authority is the host authority",
    "PR2": "Other local authority provision, including a regional adoption agency where "
    "another local authority is the host authority",
    "PR3": "Other public provision (for example, a primary care trust)",
    "PR4": "Private provision",
    "PR5": "Voluntary/third sector provision",
}

_LS = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order granted",
    "E1": "Placement order granted",
    "J1": "Remanded to local authority accommodation or to youth detention accommodation",
    "J2": "Placed in local authority accommodation under the Police and Criminal Evidence "
    "Act 1984, including secure accommodation",
    "J3": "Sentenced to a youth rehabilitation order with a residence or intensive "
    "fostering requirement",
    "L1": "Under police protection and in local authority accommodation",
    "L2": "Emergency protection order (EPO)",
    "L3": "Under child assessment order and in local authority accommodation",
    "V2": "Single period of accommodation under section 20 (Children Act 1989)",
    "V3": "Accommodated under an agreed series of short-term breaks, when individual "
    "episodes of care are recorded",
    "V4": "Accommodated under an agreed series of short-term breaks, when agreements are "
    "recorded (not individual episodes of care)",
}

_REC = {
    "E11": "Adopted – application for an adoption order unopposed",
    "E12": "Adopted – consent dispensed with by the court",
    "E2": "Died",
    "E3": "Care taken over by another local authority in the UK",
    "E41": "Residence order (or, from 22 April 2014, a child arrangement order which sets "
    "out with whom the child is to live) granted",
    "E45": "Special guardianship order made to former foster carer(s), who was/are a "
    "relative(s) or friend(s)",
    "E46": "Special guardianship order made to former foster carer(s), other than "
    "relative(s) or friend(s)",
    "E47": "Special guardianship order made to carer(s), other than former foster "
    "carer(s), who was/are a relative(s) or friend(s)",
    "E48": "Special guardianship order made to carer(s), other than former foster "
    "carer(s), other than relative(s) or friend(s)",
    "E4A": "Returned home to live with parent(s), relative(s), or other person(s) with "
    "parental responsibility as part of the care planning process (not under a special "
    "guardianship order or residence order or (from 22 April 2014) a child arrangement order)",
    "E4B": "Returned home to live with parent(s), relative(s), or other person(s) with "
    "parental responsibility which was not part of the current care planning process (not "
    "under a special guardianship order or residence order or (from 22 April 2014) a child "
    "arrangement order)",
    "E13": "Left care to live with parent(s), relative(s), or other person(s) with no "
    "parental responsibility",
    "E5": "Moved into independent living arrangement and no longer looked after: "
    "supportive accommodation providing formalised advice/support arrangements (such as "
    "most hostels, young men's Christian association, foyers, staying close and care leavers "
    "projects). Includes both children leaving care before and at age 18",
    "E6": "Moved into independent living arrangement and no longer looked after: "
    "accommodation providing no formalised advice/support arrangements (such as bedsit, own "
    "flat, living with friend(s)). Includes both children leaving care before and at age 18",
    "E7": "Transferred to residential care funded by adult social care services",
    "E9": "Sentenced to custody",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment determined child is aged 18 or over and E5, E6 and E7 do not "
    "apply, such as an unaccompanied asylum-seeking child (UASC) whose age has been disputed",
    "E16": "Child moved abroad",
    "E17": "Aged 18 (or over) and remained with current carers (including under staying "
    "put arrangements)",
    "E8": "Period of being looked after ceased for any other reason (where none of the "
    "other reasons apply)",
    "X1": "Episode ceases, and new episode begins on same day, for any reason",
}

_REASON_PLACE_CHANGE = {
    "CARPL": "Change to/implementation of care plan",
    "CLOSE": "Resignation/closure of provision",
    "ALLEG": "Allegation (s47)",
    "STAND": "Standards of care concern",
    "APPRR": "Approval removed",
    "CREQB": "Carer(s) requests placement end due to child's behaviour",
    "CREQO": "Carer(s) requests placement end other than due to child's behaviour",
    "CHILD": "Child requests placement end",
    "LAREQ": "Responsible/area authority requests placement end",
    "PLACE": "Change in the status of placement only",
    "CUSTOD": "Custody arrangement",
    "OTHER": "Other",
}

_RNE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement (but same carer(s)) only",
    "B": "Change of legal status and placement and carer(s) at the same time",
    "U": "Change of legal status and change of placement (but same carer(s)) at the same time",
}

_CIN = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}


def _same_every_year(codes: dict[str, str]) -> dict[str, dict[str, str]]:
    return dict.fromkeys(YEARS, codes)


_LISTS: dict[str, dict[str, dict[str, str]]] = {
    "PLACE": {"2023-24": _PLACE_2023, "2024-25": _PLACE_2024, "2025-26": _PLACE_2025},
    "PLACE_PROVIDER": _same_every_year(_PLACE_PROVIDER),
    "LS": _same_every_year(_LS),
    "REC": _same_every_year(_REC),
    "REASON_PLACE_CHANGE": _same_every_year(_REASON_PLACE_CHANGE),
    "RNE": _same_every_year(_RNE),
    "CIN": _same_every_year(_CIN),
}

LIST_NAMES = tuple(_LISTS)

CONNECTED_PERSON_PLACEMENTS = frozenset({"U1", "U2", "U3"})
OTHER_FOSTER_PLACEMENTS = frozenset({"U4", "U5", "U6"})
OWN_PROVISION = "PR1"
# REC for a placement that ends because the child moves to another the same day.
REC_NEW_EPISODE_SAME_DAY = "X1"


class UnknownCode(KeyError):
    """A code that no collection year's list holds."""


def collection_year(d: date) -> str:
    """The 903 collection year holding d: 1 April to 31 March, named like "2024-25"."""
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def codes(list_name: str, on: date | None = None) -> Mapping[str, str]:
    """The code list in force on a date (the latest list when no date is given)."""
    by_year = _list(list_name)
    if on is None:
        return MappingProxyType(by_year[YEARS[-1]])
    year = collection_year(on)
    if year < YEARS[0]:
        year = YEARS[0]
    elif year > YEARS[-1]:
        year = YEARS[-1]
    return MappingProxyType(by_year[year])


def is_valid(list_name: str, code: str | None, on: date | None = None) -> bool:
    """Whether `code` is in the list in force on `on` (the latest list if no date)."""
    return code is not None and code in codes(list_name, on)


def describe(list_name: str, code: str) -> str:
    """The DfE description of a code, from the latest year that holds it."""
    for year in reversed(YEARS):
        description = _list(list_name)[year].get(code)
        if description is not None:
            return description
    raise UnknownCode(f"{code!r} is not a {list_name} code")


def described(list_name: str, code: str | None, missing: str = "Not given") -> str:
    """A code as a person reads it: "U6: Foster placement…"; the code alone if no list holds
    it (an old extract's), `missing` if there is none."""
    if not code:
        return missing
    try:
        return f"{code}: {describe(list_name, code)}"
    except UnknownCode:
        return code


def choices(list_name: str, on: date | None = None) -> list[tuple[str, str]]:
    """(code, "code: description") pairs for a form's select, in the DfE's order."""
    return [(code, f"{code}: {text}") for code, text in codes(list_name, on).items()]


def is_connected_person_placement(place_code: str | None) -> bool:
    """Foster placement with a relative or friend (903 PLACE U1-U3)."""
    return place_code in CONNECTED_PERSON_PLACEMENTS


def is_own_foster_carer(place_code: str | None, provider_code: str | None) -> bool:
    """Foster placement with one of our own approved foster carers (U4-U6, provider PR1)."""
    return place_code in OTHER_FOSTER_PLACEMENTS and provider_code == OWN_PROVISION


def _list(list_name: str) -> dict[str, dict[str, str]]:
    try:
        return _LISTS[list_name]
    except KeyError:
        raise ValueError(
            f"no 903 code list named {list_name!r}; known: {', '.join(LIST_NAMES)}"
        ) from None
