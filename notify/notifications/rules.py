"""Who must be told of a placement change, by when, and whose approval it needs first.

Pure: DOMAIN.md §1 (reg 13 starts, reg 14 ends, moves) and §2 (reg 11 approvals) over
plain dataclasses. The caller resolves postcodes, distances, adjoining authorities and
the child's contacts; `who_must_be_told` only decides.

Deadlines (`send_by`), DOMAIN.md §1. Working days are counted on the England and Wales
calendar for every recipient, wherever they are: the regulations apply in England and the
duty is ours (reg 1(2)), so a Scottish bank holiday moves no deadline.

- planned start: the day before the start ("before the placement is made"); one sent on
  the start day is late.
- emergency start: 5 working days after the start.
- end recorded before its date (reg 14(2)): notice of the intention, by the day before
  the end.
- end recorded on or after its date (reg 14(4), prior notice was not practicable): 10
  working days after the end, and the notice says why.
- a move's single change-of-address notice: the earlier of its start and end deadlines.

A notice is late when it goes after its send-by date (§3): one whose send-by date is
before the day the change is recorded is late already, and the person recording it is
asked why.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from models.enums import ApprovalLevel, Division, Event, RecipientKind, RecipientRole
from notify import codes
from notify.calendar import WorkingDays

EMERGENCY_START_WORKING_DAYS = 5
END_WORKING_DAYS = 10

# The responsible authority (us) is English: its own people, and contacts whose
# division the caller does not give, work to the England and Wales calendar.
RESPONSIBLE_DIVISION = Division.ENGLAND_AND_WALES
# Statutory deadlines are ours, under English regulations, whoever the recipient is.
STATUTORY_DIVISION = Division.ENGLAND_AND_WALES

# Reg 13(3): only these may be left out, where telling them would put the child at risk.
WITHHOLDABLE_ROLES = frozenset(
    {RecipientRole.PARENT, RecipientRole.CONTACT_ORDER_HOLDER, RecipientRole.PREVIOUS_CARER}
)

# People the caller knows about, in the order their notices are listed.
_START_CONTACT_ROLES = (
    RecipientRole.CHILD,
    RecipientRole.PARENT,
    RecipientRole.CONTACT_ORDER_HOLDER,
    RecipientRole.PREVIOUS_CARER,
    RecipientRole.GP,
    RecipientRole.NEW_GP,
    RecipientRole.SCHOOL,
    RecipientRole.IRO,
    RecipientRole.POLICE,
)
CONTACT_ROLES = frozenset({*_START_CONTACT_ROLES, RecipientRole.CARER})
# A person's own reg 13(3) decision may be recorded against these classes; a carer's holds
# for the notices they get as the previous carer (reg 13(2)(e)), not for the end notice they
# are owed as the person with whom the child was placed (reg 14).
PERSON_WITHHOLDABLE_ROLES = WITHHOLDABLE_ROLES | {RecipientRole.CARER}

_EVENT_ORDER = {
    Event.ADDRESS_CHANGE: 0,
    Event.PLACEMENT_START: 1,
    Event.PLACEMENT_END: 2,
    Event.SQA_ALERT: 3,
}


class Change(StrEnum):
    """What happened to the child's placement."""

    START = "start"
    END = "end"
    MOVE = "move"


class Precondition(StrEnum):
    """What must be done before a reg 11 approval may be given."""

    AREA_AUTHORITY_NOTIFIED = "area_authority_notified"
    AREA_AUTHORITY_CONSULTED = "area_authority_consulted"
    CARE_PLAN_SENT = "care_plan_sent"


@dataclass(frozen=True)
class Place:
    """Where someone lives or is placed: the council, the health body and the calendar.

    `health_body_code` is None while a district split between health bodies awaits a
    person's choice; such a recipient is still listed, with no address yet.
    """

    authority_code: str
    health_body_code: str | None
    division: Division = Division.ENGLAND_AND_WALES


@dataclass(frozen=True)
class PlacementFacts:
    """One placement, as the rules need it (903 PLACE and PLACE_PROVIDER codes)."""

    start_date: date
    place: Place
    out_of_area: bool
    at_a_distance: bool = False
    emergency: bool = False
    end_date: date | None = None
    placement_type: str | None = None
    provider: str | None = None

    def __post_init__(self) -> None:
        if self.at_a_distance and not self.out_of_area:
            raise ValueError("a placement at a distance is out of area by definition")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("a placement cannot end before it starts")


@dataclass(frozen=True)
class PersonWithheld:
    """A reg 13(3) decision about one person: who decided, and why."""

    decided_by: str
    reason: str

    def __post_init__(self) -> None:
        if not self.decided_by.strip() or not self.reason.strip():
            raise ValueError("a withholding must record who decided and why")


@dataclass(frozen=True)
class KnownContact:
    """A person the child's record holds, with why they are told and their calendar, and
    whether a reg 13(3) decision leaves them out."""

    role: RecipientRole
    contact_id: str | int
    division: Division = RESPONSIBLE_DIVISION
    withheld: PersonWithheld | None = None
    # someone the new placement brings (the GP the child will register with, a new school):
    # told of it, not of the end of a placement they had no part in
    joins: bool = False
    # someone told of the ending placement's start who is no longer among the child's people
    # (the carer before it): told of its end (reg 14), not of a new placement
    leaves: bool = False

    def __post_init__(self) -> None:
        if self.role not in CONTACT_ROLES:
            raise ValueError(f"{self.role} is not a role a contact can hold")
        if self.withheld is not None and self.role not in PERSON_WITHHOLDABLE_ROLES:
            raise ValueError(
                f"only parents, contact-order holders and carers may be withheld, not {self.role}"
            )
        if self.joins and self.leaves:
            raise ValueError("a contact cannot both join with the new placement and leave")


@dataclass(frozen=True)
class Withholding:
    """A reg 13(3) decision to leave some people out, with who decided and why."""

    roles: frozenset[RecipientRole]
    decided_by: str
    reason: str

    def __post_init__(self) -> None:
        roles = frozenset(self.roles)
        object.__setattr__(self, "roles", roles)
        if not roles:
            raise ValueError("a withholding must name at least one role")
        refused = roles - WITHHOLDABLE_ROLES
        if refused:
            names = ", ".join(sorted(str(role) for role in refused))
            raise ValueError(
                f"only parents, contact-order holders and the previous carer "
                f"may be withheld, not {names}"
            )
        if not self.decided_by.strip() or not self.reason.strip():
            raise ValueError("a withholding must record who decided and why")


@dataclass(frozen=True)
class PlacementEvent:
    """A start, an end, or a move (the end of `previous` and the start of `new`)."""

    kind: Change
    home_authority_code: str
    home: Place
    new: PlacementFacts | None = None
    previous: PlacementFacts | None = None
    contacts: tuple[KnownContact, ...] = ()
    police_flag: bool = False
    withholding: Withholding | None = None
    # The day the change is recorded: it decides whether an end was notified in advance
    # (reg 14(2)) or only after the event (reg 14(4)), and which notices are late already.
    recorded_on: date = field(kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Change(self.kind))
        object.__setattr__(self, "contacts", tuple(self.contacts))
        needs = {
            Change.START: (True, False),
            Change.END: (False, True),
            Change.MOVE: (True, True),
        }[self.kind]
        if (self.new is not None, self.previous is not None) != needs:
            raise ValueError(
                f"a {self.kind} needs "
                + " and ".join(
                    name for name, wanted in zip(("new", "previous"), needs, strict=True) if wanted
                )
                + " placement facts, and no others"
            )
        if self.kind == Change.END and self.previous and self.previous.end_date is None:
            raise ValueError("an end needs the previous placement's end date")
        if self.new and self.previous:
            ended = self.previous.end_date
            if ended is not None and ended > self.new.start_date:
                raise ValueError("the previous placement must end by the new one's start")
        for facts in (self.new, self.previous):
            if facts is None:
                continue
            elsewhere = facts.place.authority_code != self.home_authority_code
            if facts.out_of_area != elsewhere:
                raise ValueError(
                    f"out_of_area={facts.out_of_area} disagrees with a placement in "
                    f"{facts.place.authority_code} by {self.home_authority_code}"
                )

    @property
    def previous_ends_on(self) -> date:
        """The day the previous placement ends (for a move with no end date, the new start)."""
        if self.previous is None:
            raise ValueError(f"a {self.kind} has no previous placement")
        if self.previous.end_date is not None:
            return self.previous.end_date
        assert self.new is not None  # checked in __post_init__: only a move gets here
        return self.new.start_date

    @property
    def end_notified_after(self) -> bool:
        """Reg 14(4): the end is recorded on or after its date, so no notice of the
        intention could be given and the end notices must say why."""
        return self.previous is not None and self.recorded_on >= self.previous_ends_on


@dataclass(frozen=True)
class Recipient:
    """One notice to send: to whom, about what, by when, on whose calendar."""

    role: RecipientRole
    kind: RecipientKind
    code_or_contact: str | int | None
    event: Event
    send_by: date
    division: Division
    late: bool = False  # a statutory notice due before the day the change was recorded

    @property
    def needs_address(self) -> bool:
        """True when a person must choose the recipient first (a split district)."""
        return self.code_or_contact is None and self.kind != RecipientKind.INTERNAL


@dataclass(frozen=True)
class Withheld:
    """A notice deliberately not sent under reg 13(3)."""

    role: RecipientRole
    contact_id: str | int | None
    event: Event
    decided_by: str
    reason: str
    send_by: date | None = None  # when it would have been due


@dataclass(frozen=True)
class ApprovalRequirement:
    """A reg 11 approval needed before the placement, and what must come first."""

    level: ApprovalLevel
    reason: str
    area_authority_code: str
    preconditions: tuple[Precondition, ...]


@dataclass(frozen=True)
class Decision:
    """Everything the rules decided about one placement event."""

    recipients: tuple[Recipient, ...]
    withheld: tuple[Withheld, ...] = ()
    approvals_required: tuple[ApprovalRequirement, ...] = ()
    approval_exemption: str | None = None
    # reg 14(4): the end was recorded on or after its date; the reason must be given
    end_notified_after: bool = False

    @property
    def late(self) -> tuple[Recipient, ...]:
        """The notices already late when the change is recorded."""
        return tuple(r for r in self.recipients if r.late)

    def with_role(self, role: RecipientRole) -> tuple[Recipient, ...]:
        """The notices to recipients told in `role`."""
        return tuple(r for r in self.recipients if r.role == role)


def who_must_be_told(event: PlacementEvent, calendars: Mapping[Division, WorkingDays]) -> Decision:
    """Decide who must be told of `event`, by when, and which approvals it needs."""
    ends: list[Recipient] = []
    starts: list[Recipient] = []
    if event.previous is not None:
        ends = _end_notices(event, event.previous, event.previous_ends_on, calendars)
    if event.new is not None:
        starts = _start_notices(event, event.new, calendars)

    decisions = _decisions(event)
    told_at_end, held_at_end = _split_withheld(ends, decisions)
    told_at_start, held_at_start = _split_withheld(starts, decisions)
    recipients = tuple(
        replace(r, late=_late(r, event.recorded_on))
        for r in _merge_move(told_at_end, told_at_start)
    )
    held = _merge_move(held_at_end, held_at_start)
    withheld = tuple(
        Withheld(
            r.role,
            r.code_or_contact,
            r.event,
            decision.decided_by,
            decision.reason,
            r.send_by,
        )
        for r in held
        if (decision := _decision_for(r, decisions)) is not None
    )

    approvals: tuple[ApprovalRequirement, ...] = ()
    exemption = None
    if event.new is not None:
        approvals, exemption = approvals_required(event.new)
    return Decision(
        recipients=recipients,
        withheld=withheld,
        approvals_required=approvals,
        approval_exemption=exemption,
        end_notified_after=event.end_notified_after,
    )


def _late(notice: Recipient, recorded_on: date) -> bool:
    """Due before the change is recorded. Our own alerts are not statutory notices."""
    return notice.kind != RecipientKind.INTERNAL and notice.send_by < recorded_on


def _reg13_people(
    event: PlacementEvent, facts: PlacementFacts, starting: bool = True
) -> list[tuple[RecipientRole, RecipientKind, str | int | None, Division]]:
    """Everyone reg 13 tells of this placement (and so reg 14 tells of its end)."""
    people: list[tuple[RecipientRole, RecipientKind, str | int | None, Division]] = []
    placed = facts.place
    if facts.out_of_area:
        people.append(
            (
                RecipientRole.AREA_AUTHORITY,
                RecipientKind.AUTHORITY,
                placed.authority_code,
                placed.division,
            )
        )
    home = event.home
    people.append(
        (
            RecipientRole.HOME_HEALTH_BODY,
            RecipientKind.HEALTH_BODY,
            home.health_body_code,
            home.division,
        )
    )
    # "if different": the same known body is told once; an unknown one (a split district
    # awaiting a choice) cannot be shown to be the same, so it is listed for a person.
    if placed.health_body_code is None or placed.health_body_code != home.health_body_code:
        people.append(
            (
                RecipientRole.PLACEMENT_HEALTH_BODY,
                RecipientKind.HEALTH_BODY,
                placed.health_body_code,
                placed.division,
            )
        )
    for role in _START_CONTACT_ROLES:
        if role == RecipientRole.POLICE and not event.police_flag:
            continue
        people.extend(
            (role, RecipientKind.CONTACT, contact.contact_id, contact.division)
            for contact in event.contacts
            if contact.role == role and not (contact.leaves if starting else contact.joins)
        )
    return people


def _start_notices(
    event: PlacementEvent, facts: PlacementFacts, calendars: Mapping[Division, WorkingDays]
) -> list[Recipient]:
    send_by = start_send_by(facts, calendars)
    notices = [
        Recipient(role, kind, target, Event.PLACEMENT_START, send_by, division)
        for role, kind, target, division in _reg13_people(event, facts)
    ]
    if facts.out_of_area:
        notices.append(
            Recipient(
                RecipientRole.SQA,
                RecipientKind.INTERNAL,
                None,
                Event.SQA_ALERT,
                send_by,
                RESPONSIBLE_DIVISION,
            )
        )
    return _unique(notices)


def _end_notices(
    event: PlacementEvent,
    facts: PlacementFacts,
    end_date: date,
    calendars: Mapping[Division, WorkingDays],
) -> list[Recipient]:
    send_by = end_send_by(end_date, calendars, notified_after=event.end_notified_after)
    people = _reg13_people(event, facts, starting=False)
    people.extend(
        (RecipientRole.CARER, RecipientKind.CONTACT, contact.contact_id, contact.division)
        for contact in event.contacts
        if contact.role == RecipientRole.CARER
    )
    notices = []
    for role, kind, target, division in people:
        if role == RecipientRole.AREA_AUTHORITY and event.kind == Change.MOVE:
            # The host the child leaves; if the new host is the same, _merge_move
            # turns this and the start notice into one change of address.
            role = RecipientRole.PREVIOUS_AREA_AUTHORITY
        notices.append(Recipient(role, kind, target, Event.PLACEMENT_END, send_by, division))
    return _unique(notices)


def start_send_by(facts: PlacementFacts, calendars: Mapping[Division, WorkingDays]) -> date:
    """Reg 13: before the placement is made (the day before it starts), or for an emergency
    placement within 5 working days of its start."""
    if facts.emergency:
        statutory = _calendar(calendars, STATUTORY_DIVISION)
        return statutory.add(facts.start_date, EMERGENCY_START_WORKING_DAYS)
    return facts.start_date - timedelta(days=1)


def end_send_by(
    end_date: date, calendars: Mapping[Division, WorkingDays], *, notified_after: bool
) -> date:
    """Reg 14: notice of the intention by the day before the end; where that was not
    practicable (the end recorded on or after its date), within 10 working days of it."""
    if notified_after:
        return _calendar(calendars, STATUTORY_DIVISION).add(end_date, END_WORKING_DAYS)
    return end_date - timedelta(days=1)


_Decisions = dict[tuple[RecipientRole, str | None], PersonWithheld]


def _decisions(event: PlacementEvent) -> _Decisions:
    """The reg 13(3) decisions of `event`: by class (key contact None), and by person."""
    decisions: _Decisions = {}
    if event.withholding is not None:
        decision = PersonWithheld(event.withholding.decided_by, event.withholding.reason)
        decisions.update({(role, None): decision for role in event.withholding.roles})
    for contact in event.contacts:
        if contact.withheld is None:
            continue
        roles = {contact.role}
        if contact.role == RecipientRole.CARER:
            roles = {RecipientRole.PREVIOUS_CARER}
        for role in roles & WITHHOLDABLE_ROLES:
            decisions[(role, str(contact.contact_id))] = contact.withheld
    return decisions


def _decision_for(notice: Recipient, decisions: _Decisions) -> PersonWithheld | None:
    if notice.role not in WITHHOLDABLE_ROLES:
        return None
    who = None if notice.code_or_contact is None else str(notice.code_or_contact)
    return decisions.get((notice.role, who)) or decisions.get((notice.role, None))


def _split_withheld(
    notices: Iterable[Recipient], decisions: _Decisions
) -> tuple[list[Recipient], list[Recipient]]:
    told: list[Recipient] = []
    held: list[Recipient] = []
    for notice in notices:
        if _decision_for(notice, decisions) is not None:
            held.append(notice)
        else:
            told.append(notice)
    return told, held


def _merge_move(ends: list[Recipient], starts: list[Recipient]) -> tuple[Recipient, ...]:
    """One change-of-address notice for anyone who would get both an end and a start."""
    end_by_target: dict[tuple[RecipientKind, str | int | None], Recipient] = {
        (r.kind, r.code_or_contact): r for r in ends if r.code_or_contact is not None
    }
    merged_targets = set()
    result = []
    for notice in starts:
        key = (notice.kind, notice.code_or_contact)
        ending = end_by_target.get(key) if notice.event == Event.PLACEMENT_START else None
        if ending is None:
            result.append(notice)
            continue
        merged_targets.add(key)
        result.append(
            replace(notice, event=Event.ADDRESS_CHANGE, send_by=min(notice.send_by, ending.send_by))
        )
    result.extend(r for r in ends if (r.kind, r.code_or_contact) not in merged_targets)
    result.sort(key=lambda r: _EVENT_ORDER[r.event])
    return tuple(result)


def _unique(notices: list[Recipient]) -> list[Recipient]:
    """Drop repeats of one notice to one recipient (the same GP as old and new GP).

    A person told in two roles keeps a role that cannot be withheld, so that withholding
    a previous carer does not silence the notice they are owed as the outgoing carer.
    """
    kept: dict[tuple[Event, RecipientKind, object], Recipient] = {}
    for notice in notices:
        # Recipients with no address yet cannot be shown to be the same one.
        who = notice.code_or_contact if notice.code_or_contact is not None else notice.role
        key = (notice.event, notice.kind, who)
        first = kept.get(key)
        outranks = first is not None and (
            first.role in WITHHOLDABLE_ROLES and notice.role not in WITHHOLDABLE_ROLES
        )
        if first is None or outranks:
            kept[key] = notice
    return list(kept.values())


def approvals_required(facts: PlacementFacts) -> tuple[tuple[ApprovalRequirement, ...], str | None]:
    """Reg 11: who must approve an out-of-area placement, or why no one need."""
    if not facts.out_of_area:
        return (), None
    if codes.is_connected_person_placement(facts.placement_type):
        return (), "placed with a connected person (relative or friend foster carer)"
    if codes.is_own_foster_carer(facts.placement_type, facts.provider):
        return (), "placed with one of our own approved foster carers"
    area = facts.place.authority_code
    if facts.at_a_distance:
        requirement = ApprovalRequirement(
            level=ApprovalLevel.DIRECTOR,
            reason="placed at a distance: outside our area and not in an adjoining authority",
            area_authority_code=area,
            preconditions=(
                Precondition.AREA_AUTHORITY_NOTIFIED,
                Precondition.AREA_AUTHORITY_CONSULTED,
                Precondition.CARE_PLAN_SENT,
            ),
        )
    else:
        requirement = ApprovalRequirement(
            level=ApprovalLevel.NOMINATED_OFFICER,
            reason="placed outside our area, in an adjoining authority",
            area_authority_code=area,
            preconditions=(Precondition.AREA_AUTHORITY_NOTIFIED,),
        )
    return (requirement,), None


def _calendar(calendars: Mapping[Division, WorkingDays], division: Division) -> WorkingDays:
    try:
        return calendars[division]
    except KeyError:
        raise ValueError(f"no working-day calendar loaded for {division}") from None
