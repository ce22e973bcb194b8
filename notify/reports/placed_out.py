"""The Corporate Parenting Board's report "Children placed out of area", as at any date.

Pure: plain facts in, figures out (no Flask, no database). The query module loads the facts;
this one counts them. "Looked after on a date" means a placement that has started by that
date and not ended before it. Groupings are the DfE's (children looked after statistics).
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

# DfE placement groups (children looked after in England, table A1), by 903 PLACE code.
PLACEMENT_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Foster placements", frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})),
    ("Placed for adoption", frozenset({"A3", "A4", "A5", "A6"})),
    ("Placed with parents or other person with parental responsibility", frozenset({"P1"})),
    ("Other placements in the community", frozenset({"P2", "P3"})),
    ("Supported accommodation and semi-independent living", frozenset({"H5", "K3"})),
    ("Secure homes and children's homes", frozenset({"K1", "K2"})),
    ("Other residential settings", frozenset({"R1", "R2", "R3", "R5"})),
    ("Residential schools", frozenset({"S1"})),
    ("Other placements", frozenset({"Z1", "Z11", "Z12", "Z13", "Z14", "T0", "T1", "T2",
                                    "T3", "T4"})),
)  # fmt: skip
KINSHIP = frozenset({"U1", "U2", "U3"})
OTHER_FOSTER = frozenset({"U4", "U5", "U6"})
ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
WITH_PARENTS = frozenset({"P1"})
SECURE_OR_YOUTH_JUSTICE = frozenset({"K1", "R5"})
OWN_PROVISION = "PR1"
PRIVATE_OR_VOLUNTARY = frozenset({"PR4", "PR5"})
# DfE ethnicity groups, by 903 ETHNIC code
ETHNIC_GROUPS = {
    "White": {"WBRI", "WIRI", "WOTH", "WIRT", "WROM"},
    "Mixed or multiple ethnic groups": {"MWBC", "MWBA", "MWAS", "MOTH"},
    "Asian or Asian British": {"AIND", "APKN", "ABAN", "AOTH", "CHNE"},
    "Black, African, Caribbean or Black British": {"BCRB", "BAFR", "BOTH"},
    "Other ethnic group": {"OOTH"},
    "Refused or information not yet obtained": {"REFU", "NOBT"},
}
AGE_BANDS = (("Under 1", 0, 0), ("1 to 4", 1, 4), ("5 to 9", 5, 9), ("10 to 15", 10, 15),
             ("16 and over", 16, 200))  # fmt: skip
DISTANCE_BANDS = (("10 miles or less", 0.0, 10.0), ("Over 10 to 20 miles", 10.0, 20.0),
                  ("Over 20 to 50 miles", 20.0, 50.0), ("Over 50 miles", 50.0, 1e9))  # fmt: skip
SEX_LABELS = {"M": "Male", "F": "Female", "U": "Not known"}
TOP_HOSTS = 10
TREND_QUARTERS = 8


@dataclass(frozen=True)
class PlacementFact:
    start: date
    end: date | None
    place: str
    provider: str
    out_of_area: bool
    adjoining: bool
    host_code: str
    distance_miles: float | None

    def current_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class ChildFact:
    sex: str
    date_of_birth: date
    ethnicity: str | None
    disability: bool
    uasc: bool
    placements: tuple[PlacementFact, ...]

    def placement_on(self, day: date) -> PlacementFact | None:
        current = [p for p in self.placements if p.current_on(day)]
        return max(current, key=lambda p: p.start) if current else None


@dataclass(frozen=True)
class HostedFact:
    """Another authority's child placed in our area."""

    placing_code: str
    start: date
    end: date | None


@dataclass(frozen=True)
class NoticeFact:
    """A statutory notice we sent to an authority or health body."""

    recipient_kind: str  # authority | health_body
    recipient_code: str
    send_by: date
    sent_on: date | None
    acknowledge_by: date | None
    acknowledged_on: date | None


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    percent: float | None  # of the group's total


@dataclass(frozen=True)
class NoticeRow:
    recipient: str
    sent: int
    on_time: int
    acknowledged_in_time: int
    overdue: int


@dataclass(frozen=True)
class TrendPoint:
    quarter_end: date
    looked_after: int
    placed_out: int
    percent: float | None


@dataclass
class Report:
    on: date
    looked_after: int
    placed_out: int
    percent_out: float | None
    sex: list[Row] = field(default_factory=list)
    age: list[Row] = field(default_factory=list)
    ethnicity: list[Row] = field(default_factory=list)
    white_british_percent: float | None = None
    disabled: Row | None = None
    uasc: Row | None = None
    placement_groups: list[Row] = field(default_factory=list)
    provision: list[Row] = field(default_factory=list)
    adjoining: list[Row] = field(default_factory=list)
    top_hosts: list[Row] = field(default_factory=list)
    distance: list[Row] = field(default_factory=list)
    circumstances: list[Row] = field(default_factory=list)
    residual: int = 0
    residual_percent: float | None = None
    hosted: int = 0
    hosted_authorities: int = 0
    notices: list[NoticeRow] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rows(counts: Mapping[str, int], order: Sequence[str], whole: int) -> list[Row]:
    return [
        Row(label, counts.get(label, 0), percent(counts.get(label, 0), whole)) for label in order
    ]


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _group(place: str) -> str:
    return next((name for name, codes in PLACEMENT_GROUPS if place in codes), "Other placements")


def _ethnic_group(code: str | None) -> str:
    found = next((name for name, codes in ETHNIC_GROUPS.items() if code in codes), None)
    return found or "Refused or information not yet obtained"


def placed_out_on(children: Iterable[ChildFact], on: date) -> tuple[int, int]:
    """(looked after, placed out of area) on a date."""
    looked_after = out = 0
    for child in children:
        placement = child.placement_on(on)
        if placement is not None:
            looked_after += 1
            out += placement.out_of_area
    return looked_after, out


def quarter_ends(on: date, quarters: int = TREND_QUARTERS) -> list[date]:
    """The last `quarters` quarter ends (31 March, 30 June, 30 September, 31 December) up to
    `on`, oldest first; `on` itself last when it is not a quarter end."""
    ends: list[date] = []
    year, month = on.year, on.month - (on.month - 1) % 3  # first month of on's quarter
    cursor = date(year, month, 1) - timedelta(days=1)  # end of the previous quarter
    while len(ends) < quarters - 1:
        ends.append(cursor)
        cursor = date(cursor.year, cursor.month - 2, 1) - timedelta(days=1)
    ends.reverse()
    ends.append(on)
    return ends


def build_report(
    children: Sequence[ChildFact],
    hosted: Sequence[HostedFact],
    notices: Sequence[NoticeFact],
    on: date,
    names: Mapping[str, str],
) -> Report:
    """The board report's figures as at `on`."""
    looked_after, placed_out = placed_out_on(children, on)
    out = [(c, p) for c in children if (p := c.placement_on(on)) is not None and p.out_of_area]
    n = len(out)
    report = Report(on=on, looked_after=looked_after, placed_out=placed_out,
                    percent_out=percent(placed_out, looked_after))  # fmt: skip

    sex = Counter(SEX_LABELS.get(c.sex, "Not known") for c, _ in out)
    report.sex = _rows(sex, ["Female", "Male", "Not known"], n)
    ages = Counter(
        next(label for label, low, high in AGE_BANDS if low <= _age(c.date_of_birth, on) <= high)
        for c, _ in out
    )
    report.age = _rows(ages, [label for label, *_ in AGE_BANDS], n)
    report.ethnicity = _rows(Counter(_ethnic_group(c.ethnicity) for c, _ in out),
                             list(ETHNIC_GROUPS), n)  # fmt: skip
    report.white_british_percent = percent(sum(c.ethnicity == "WBRI" for c, _ in out), n)
    report.disabled = Row("Disabled", sum(c.disability for c, _ in out),
                          percent(sum(c.disability for c, _ in out), n))  # fmt: skip
    report.uasc = Row("Unaccompanied asylum-seeking children", sum(c.uasc for c, _ in out),
                      percent(sum(c.uasc for c, _ in out), n))  # fmt: skip
    report.placement_groups = _rows(Counter(_group(p.place) for _, p in out),
                                    [name for name, _ in PLACEMENT_GROUPS], n)  # fmt: skip

    own_carers = sum(p.place in OTHER_FOSTER and p.provider == OWN_PROVISION for _, p in out)
    kinship = sum(p.place in KINSHIP for _, p in out)
    report.provision = [
        Row("Our own provision", c := sum(p.provider == OWN_PROVISION for _, p in out),
            percent(c, n)),
        Row("Private or voluntary provision",
            c := sum(p.provider in PRIVATE_OR_VOLUNTARY for _, p in out), percent(c, n)),
        Row("Other provision", c := sum(p.provider not in PRIVATE_OR_VOLUNTARY | {OWN_PROVISION}
                                        for _, p in out), percent(c, n)),
        Row("With our own foster carers", own_carers, percent(own_carers, n)),
        Row("With kinship carers (relatives or friends)", kinship, percent(kinship, n)),
    ]  # fmt: skip
    adjoining = sum(p.adjoining for _, p in out)
    report.adjoining = [Row("In an adjoining authority", adjoining, percent(adjoining, n)),
                        Row("Further away", n - adjoining, percent(n - adjoining, n))]  # fmt: skip
    hosts = Counter(p.host_code for _, p in out)
    report.top_hosts = [
        Row(names.get(code, code), count, percent(count, n))
        for code, count in sorted(hosts.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))[
            :TOP_HOSTS
        ]
    ]
    bands = Counter(
        "Distance not known"
        if p.distance_miles is None
        else next(label for label, low, high in DISTANCE_BANDS
                  if (low == 0 and p.distance_miles <= high) or low < p.distance_miles <= high)
        for _, p in out
    )  # fmt: skip
    report.distance = _rows(
        bands, [label for label, *_ in DISTANCE_BANDS] + ["Distance not known"], n
    )

    # the "specific circumstances" the board deducts: placements a council would make out of
    # area whatever its sufficiency (own and kinship carers, adopters, parents, secure)
    adopters = sum(p.place in ADOPTION for _, p in out)
    parents = sum(p.place in WITH_PARENTS for _, p in out)
    secure = sum(p.place in SECURE_OR_YOUTH_JUSTICE for _, p in out)
    report.circumstances = [
        Row("With our own carers (foster and kinship)", own_carers + kinship,
            percent(own_carers + kinship, looked_after)),
        Row("of whom kinship carers", kinship, percent(kinship, looked_after)),
        Row("With adopters", adopters, percent(adopters, looked_after)),
        Row("Placed with parents", parents, percent(parents, looked_after)),
        Row("Secure or youth justice", secure, percent(secure, looked_after)),
    ]  # fmt: skip
    report.residual = n - (own_carers + kinship) - adopters - parents - secure
    report.residual_percent = percent(report.residual, looked_after)

    here = [h for h in hosted if h.start <= on and (h.end is None or h.end >= on)]
    report.hosted = len(here)
    report.hosted_authorities = len({h.placing_code for h in here})
    report.notices = _notice_rows(notices, on, names)
    report.trend = [
        TrendPoint(day, *(counts := placed_out_on(children, day)), percent(counts[1], counts[0]))
        for day in quarter_ends(on)
    ]
    return report


def _notice_rows(
    notices: Sequence[NoticeFact], on: date, names: Mapping[str, str]
) -> list[NoticeRow]:
    """Statutory notices sent in the year up to `on`, by recipient (authorities first)."""
    since = on - timedelta(days=365)
    by: dict[tuple[str, str], list[NoticeFact]] = {}
    for n in notices:
        if n.sent_on is not None and since < n.sent_on <= on:
            by.setdefault((n.recipient_kind, n.recipient_code), []).append(n)
    rows = []
    for (_kind, code), found in sorted(
        by.items(), key=lambda kv: (kv[0][0], names.get(kv[0][1], kv[0][1]))
    ):
        rows.append(
            NoticeRow(
                recipient=names.get(code, code),
                sent=len(found),
                on_time=sum(n.sent_on is not None and n.sent_on <= n.send_by for n in found),
                acknowledged_in_time=sum(
                    n.acknowledged_on is not None
                    and n.acknowledge_by is not None
                    and n.acknowledged_on <= n.acknowledge_by
                    for n in found
                ),
                overdue=sum(
                    n.acknowledged_on is None
                    and n.acknowledge_by is not None
                    and n.acknowledge_by < on
                    for n in found
                ),
            )
        )
    return rows
