"""Recording children and their placements: the one path every entry point takes.

Each function adds to the session and leaves the commit to its caller (one per request or
command), so a placement and the notifications it causes are written together or not at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Approval,
    Authority,
    Child,
    Contact,
    HealthBody,
    Notification,
    Placement,
    Withholding,
)
from models.base import utcnow
from models.enums import (
    STATUTORY_EVENTS,
    Event,
    NotificationStatus,
    RecipientKind,
    RecipientRole,
)
from notify import codes
from notify.calendar import CalendarRangeError
from notify.geography.postcode import PostcodeError
from notify.geography.store import (
    Location,
    PlacementGeography,
    adjoining,
    placement_geography,
    resolve_postcode,
)
from notify.notifications import outbox, rules
from notify.notifications.calendars import division_of_nation, working_day_calendars
from notify.notifications.recipients import directory_address, our_team
from notify.placements import people
from notify.placements.people import PersonDetails
from notify.problems import Conflict, InvalidInput
from notify.validation import (
    CASE_REFERENCE_LENGTH,
    characters_problem,
    date_of_birth_problem,
    nhs_number_problem,
    placement_date_problem,
)


def _problems() -> dict[str, list[str]]:
    return {}


@dataclass(frozen=True)
class ChildDetails:
    case_reference: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    legal_status: str
    home_postcode: str
    also_known_as: str | None = None
    ethnicity: str | None = None
    nhs_number: str | None = None
    uasc: bool = False
    disability: bool = False
    child_protection_plan: bool = False
    ehc_plan_maintained_by: str | None = None
    police_flag: bool = False
    risks: str | None = None
    social_worker_id: int | None = None


@dataclass(frozen=True)
class PlacementDetails:
    start_date: date
    placement_type: str
    provider: str
    address_line_1: str
    postcode: str
    address_line_2: str | None = None
    town: str | None = None
    carer_name: str | None = None
    urn: str | None = None
    telephone: str | None = None
    emergency: bool = False
    reason_for_change: str | None = None
    end_date: date | None = None
    # Chosen by a person where the placement's district is split between health bodies.
    health_body_code: str | None = None
    # When the current placement ends, if not the day before this one starts.
    previous_end_date: date | None = None
    # Reg 13(3): people not to be told, with who decided and why.
    withholding: rules.Withholding | None = None
    # The person with whom the child is placed (for a home, its registered person).
    carer: PersonDetails | None = None
    # Where they change with the move: the GP the child will register with, the new school.
    new_gp: PersonDetails | None = None
    school: PersonDetails | None = None
    # Why notices will be late, or (on a move recorded on or after the current placement's
    # end) why its end could not be notified in advance (reg 14(4)).
    late_reason: str | None = None


# The longest reason kept with a notice (notifications.late_reason).
REASON_MAX_LENGTH = 200
# Reg 14(4) on an emergency move: the emergency is why the end could not be notified first.
EMERGENCY_MOVE_REASON = "An emergency placement: the move could not be planned in advance"


@dataclass(frozen=True)
class PlannedNotification:
    role: str
    kind: str
    event: str
    send_by: date
    code: str | None
    name: str
    address: str | None
    # reg 13(3): not to be told, and why ("who decided: reason")
    withheld_reason: str | None = None
    # due before the day the change is recorded: it goes late, and says why
    late: bool = False

    @property
    def status(self) -> str:
        if self.withheld_reason is not None:
            return NotificationStatus.WITHHELD
        return NotificationStatus.PENDING if self.address else NotificationStatus.NEEDS_ADDRESS


@dataclass(frozen=True)
class Plan:
    """What recording a placement (or ending one) will do: shown to the social worker before
    they confirm, then carried out unchanged."""

    details: PlacementDetails | None
    placement_location: Location | None
    geography: PlacementGeography | None
    host_health_body_code: str | None
    previous: Placement | None
    previous_end_date: date | None
    notifications: tuple[PlannedNotification, ...]
    approvals: tuple[rules.ApprovalRequirement, ...]
    withheld: tuple[rules.Withheld, ...] = field(default=())
    # reg 14(4): the ending placement's end is recorded on or after its date
    end_notified_after: bool = False

    @property
    def to_send(self) -> tuple[PlannedNotification, ...]:
        return tuple(n for n in self.notifications if n.withheld_reason is None)

    @property
    def late(self) -> tuple[PlannedNotification, ...]:
        """The notices that will be late: due before today."""
        return tuple(n for n in self.to_send if n.late)

    @property
    def needs_reason(self) -> bool:
        """Whether the notices must say why (late notices, or reg 14(4))."""
        return bool(self.late) or self.end_notified_after

    @property
    def default_reason(self) -> str | None:
        """On an emergency move with nothing late, the emergency is why its end was not
        notified first."""
        emergency = self.details is not None and self.details.emergency
        return EMERGENCY_MOVE_REASON if emergency and not self.late else None

    @property
    def asks_reason(self) -> bool:
        """Whether the person recording this must give the reason."""
        return self.needs_reason and self.default_reason is None


def record_child(
    session: Session, details: ChildDetails, responsible_authority_code: str, today: date
) -> Child:
    """Add a child looked after by `responsible_authority_code`."""
    problems = _problems()
    existing = session.scalar(
        select(Child).where(
            Child.responsible_authority_code == responsible_authority_code,
            Child.case_reference == details.case_reference,
        )
    )
    if existing is not None:
        problems["case_reference"] = [
            f"A child with case reference {details.case_reference} is already recorded"
        ]
    _check_child(session, details, today, problems)
    if problems:
        raise InvalidInput(problems)
    child = Child(responsible_authority_code=responsible_authority_code, **_child_fields(details))
    child.home_postcode = resolve_postcode(session, details.home_postcode).postcode
    session.add(child)
    session.flush()
    return child


def change_case_reference(
    session: Session, child: Child, case_reference: str, expected_version: int
) -> str:
    """Give `child` a corrected case reference; returns the one it had. The caller commits.
    Notices not yet sent are written from the child's record, so they carry the new one."""
    check_version(child, expected_version)
    reference = case_reference.strip()
    problem = characters_problem(reference, "Case reference") or (
        None
        if 0 < len(reference) <= CASE_REFERENCE_LENGTH
        else f"Enter a case reference of at most {CASE_REFERENCE_LENGTH} characters"
    )
    if problem is None and session.scalar(
        select(Child.id).where(
            Child.responsible_authority_code == child.responsible_authority_code,
            Child.case_reference == reference,
            Child.id != child.id,
        )
    ):
        problem = f"A child with case reference {reference} is already recorded"
    if problem:
        raise InvalidInput({"case_reference": [problem]})
    old, child.case_reference = child.case_reference, reference
    session.flush()
    return old


def _child_fields(details: ChildDetails) -> dict[str, object]:
    fields = {k: getattr(details, k) for k in ChildDetails.__dataclass_fields__}
    if details.nhs_number:
        fields["nhs_number"] = details.nhs_number.replace(" ", "")
    return fields


def _check_child(
    session: Session, details: ChildDetails, today: date, problems: dict[str, list[str]]
) -> None:
    if problem := date_of_birth_problem(details.date_of_birth, today):
        problems["date_of_birth"] = [problem]
    if details.nhs_number and (problem := nhs_number_problem(details.nhs_number)):
        problems["nhs_number"] = [problem]
    if not codes.is_valid("LS", details.legal_status, on=today):
        problems["legal_status"] = ["Choose a legal status from the 903 list"]
    if details.sex not in {"M", "F", "U"}:
        problems["sex"] = ["Sex must be M, F or U"]
    if (
        details.ehc_plan_maintained_by
        and session.get(Authority, details.ehc_plan_maintained_by) is None
    ):
        problems["ehc_plan.maintained_by"] = [
            "Enter the ONS code of the authority maintaining the EHC plan"
        ]
    try:
        home = resolve_postcode(session, details.home_postcode)
    except PostcodeError as exc:
        problems["home_postcode"] = [str(exc)]
    else:
        if home.authority_code is None:
            problems["home_postcode"] = ["Enter a home postcode in England, Wales or Scotland"]


def plan_placement(session: Session, child: Child, details: PlacementDetails, today: date) -> Plan:
    """Work out, without writing anything, what recording this placement will do."""
    problems = _problems()
    for name in NEW_PEOPLE:
        person = getattr(details, name)
        if person is None:
            continue
        try:
            people.check_person(person, today)
        except InvalidInput as exc:
            problems.update({f"{name}.{key}": value for key, value in exc.fields.items()})
    if problem := placement_date_problem(details.start_date, today):
        problems["start_date"] = [problem]
    if details.end_date is not None and details.end_date < details.start_date:
        problems["end_date"] = ["End date must be on or after the start date"]
    if not codes.is_valid("PLACE", details.placement_type, on=details.start_date):
        problems["placement_type"] = ["Choose a placement type from the 903 list for that date"]
    if not codes.is_valid("PLACE_PROVIDER", details.provider, on=details.start_date):
        problems["provider"] = ["Choose a placement provider (PR0 to PR5)"]
    if details.reason_for_change and not codes.is_valid(
        "REASON_PLACE_CHANGE", details.reason_for_change, on=details.start_date
    ):
        problems["reason_for_change"] = ["Choose a reason for the change from the 903 list"]

    previous = child.current_placement
    previous_end = None
    if previous is not None:
        previous_end = details.previous_end_date or details.start_date - timedelta(days=1)
        if details.start_date <= previous.start_date:
            problems.setdefault("start_date", []).append(
                f"Start date must be after the current placement's start, "
                f"{previous.start_date:%-d %B %Y}"
            )
        elif previous_end < previous.start_date or previous_end >= details.start_date:
            problems["previous_end_date"] = [
                "The current placement must end on or after its start and before the new one starts"
            ]

    try:
        # as at the day the notices are given: a body abolished by then is not told
        home = resolve_postcode(session, _home_postcode(child), today)
        placed = resolve_postcode(session, details.postcode, today)
    except PostcodeError as exc:
        problems["postcode"] = [str(exc)]
        raise InvalidInput(problems) from exc

    if placed.authority_code is None:
        problems["postcode"] = [
            f"{placed.postcode} is in Northern Ireland, where Health and Social Care Trusts run "
            "children's services: tell the trust directly"
        ]
    host_health_body = _choose_health_body(placed, details.health_body_code, problems)
    if problems:
        raise InvalidInput(problems)

    ra = child.responsible_authority_code
    geography = placement_geography(
        home,
        placed,
        ra,
        adjoining(session, ra),
        uasc=child.uasc,
        placement_type=details.placement_type,
    )
    new_facts = _facts(details, placed, host_health_body, geography)
    # With no end date given, the old placement's notices count from the day the child moves.
    previous_facts = (
        _placement_facts(session, previous, details.previous_end_date) if previous else None
    )
    event = rules.PlacementEvent(
        kind=rules.Change.MOVE if previous else rules.Change.START,
        home_authority_code=ra,
        home=_home_place(home),
        new=new_facts,
        previous=previous_facts,
        contacts=_known_contacts(child, previous, details, _told_of_start(session, previous)),
        police_flag=child.police_flag,
        withholding=details.withholding,
        recorded_on=today,
    )
    decision = _decide(session, event, "start_date")
    return Plan(
        details=replace(details, postcode=placed.postcode),
        placement_location=placed,
        geography=geography,
        host_health_body_code=host_health_body,
        previous=previous,
        previous_end_date=previous_end,
        notifications=_resolve_recipients(session, decision, ra, details),
        approvals=tuple(decision.approvals_required),
        withheld=decision.withheld,
        end_notified_after=decision.end_notified_after,
    )


@dataclass(frozen=True)
class Recorded:
    """What a recorded change wrote: the placement and the notifications it created."""

    placement: Placement
    notifications: list[Notification]


def record_placement(
    session: Session,
    child: Child,
    details: PlacementDetails,
    *,
    expected_version: int,
    actor_id: int | None,
    today: date,
) -> Recorded:
    """Record a placement (ending the current one) and its notifications, in the caller's
    transaction."""
    check_version(child, expected_version)
    plan = plan_placement(session, child, details, today)
    late_reason = _reason_for(plan, details.late_reason, "late_reason")
    if plan.previous is not None:
        plan.previous.end_date = plan.previous_end_date
        plan.previous.end_reason = codes.REC_NEW_EPISODE_SAME_DAY
        if plan.end_notified_after:
            plan.previous.end_not_practicable_reason = late_reason
    assert plan.details is not None and plan.placement_location is not None
    d, geo = plan.details, plan.geography
    assert geo is not None
    placement = Placement(
        child=child,
        start_date=d.start_date,
        end_date=d.end_date,
        placement_type=d.placement_type,
        provider=d.provider,
        carer_name=d.carer_name,
        urn=d.urn,
        address_line_1=d.address_line_1,
        address_line_2=d.address_line_2,
        town=d.town,
        postcode=d.postcode,
        telephone=d.telephone,
        emergency=d.emergency,
        reason_for_change=d.reason_for_change,
        host_authority_code=plan.placement_location.authority_code,
        host_health_body_code=plan.host_health_body_code,
        location=geo.location,
        distance_miles=geo.distance_miles,
        adjoining=geo.adjoining,
        at_a_distance=geo.at_a_distance,
        created_by_id=actor_id,
    )
    session.add(placement)
    if d.withholding is not None:
        session.add_all(
            Withholding(
                placement=placement,
                role=role,
                decided_by=d.withholding.decided_by,
                reason=d.withholding.reason,
            )
            for role in sorted(d.withholding.roles)
        )
    child.updated_at = utcnow()  # bumps the child's version: a concurrent move now conflicts
    session.flush()
    created = _change_people(session, child, placement, plan.previous, d, today)
    _record_person_withholdings(session, placement, plan.withheld)
    notifications = _write_notifications(
        session,
        child,
        placement,
        plan.previous,
        _readdress(plan.notifications, created),
        late_reason,
    )
    return Recorded(placement, notifications)


def _reason_for(plan: Plan, given: str | None, name: str) -> str | None:
    """The reason the person gave for late notices (or reg 14(4)), required when the plan
    asks one: refused, with what is late and by when, when it is missing or too long."""
    reason = (given or "").strip() or None
    if not plan.needs_reason:
        return None
    if reason is None:
        reason = plan.default_reason
    if reason is None:
        raise InvalidInput({name: [reason_question(plan)]})
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput({name: [f"Give the reason in at most {REASON_MAX_LENGTH} characters"]})
    return reason


def reason_question(plan: Plan) -> str:
    """What the person is asked when the plan needs a reason (and told when they give none)."""
    if plan.late:
        due = min(n.send_by for n in plan.late)
        count = len(plan.late)
        notices = "1 notice" if count == 1 else f"{count} notices"
        return (
            f"{notices} will be late (due by {due:%-d %B %Y}): "
            "say why notice could not be given in time"
        )
    return (
        f"The end of the placement on {plan.previous_end_date:%-d %B %Y} is recorded on or "
        "after that day: say why notice could not be given before it ended"
    )


# The people a placement may bring with it, and the role each holds once recorded.
NEW_PEOPLE = {
    "carer": RecipientRole.CARER,
    "new_gp": RecipientRole.GP,
    "school": RecipientRole.SCHOOL,
}


def _change_people(
    session: Session,
    child: Child,
    placement: Placement,
    previous: Placement | None,
    details: PlacementDetails,
    today: date,
) -> dict[str, Contact]:
    """The move's changes to the child's people: the outgoing carer, the GP and school
    replaced, end the day the new placement starts; the new ones start. Returns the new
    people by the placeholder the plan knew them by."""
    ending = [c for c in _current_carers(child, previous) if previous is not None]
    for name, role in NEW_PEOPLE.items():
        if name != "carer" and getattr(details, name) is not None:
            ending.extend(c for c in child.contacts if c.active and c.role == role)
    for person in ending:
        person.active = False
        person.ended_on = details.start_date
        person.updated_at = utcnow()
    created = {}
    for name, role in NEW_PEOPLE.items():
        person_details = getattr(details, name)
        if person_details is None:
            continue
        person = people.record_person(
            session,
            child,
            replace(person_details, role=role),
            today,
            placement=placement if role == RecipientRole.CARER else None,
        )
        person.started_on = details.start_date
        created[_placeholder(name)] = person
    return created


def _record_person_withholdings(
    session: Session, placement: Placement, withheld: Iterable[rules.Withheld]
) -> None:
    """Keep each person's reg 13(3) decision with the placement, for its end notice."""
    for w in withheld:
        if w.contact_id is None or not str(w.contact_id).isdigit():
            continue
        person = session.get(Contact, int(w.contact_id))
        if person is None or person.withhold_reason is None:
            continue
        session.add(
            Withholding(
                placement=placement,
                role=w.role,
                contact_id=person.id,
                decided_by=person.withhold_decided_by or w.decided_by,
                decided_on=person.withhold_decided_on,
                reason=person.withhold_reason,
            )
        )


def _readdress(
    planned: Iterable[PlannedNotification], created: dict[str, Contact]
) -> list[PlannedNotification]:
    """The plan's notices to people recorded with the move, now with their ids."""
    result = []
    for p in planned:
        person = created.get(p.code or "")
        result.append(replace(p, code=str(person.id)) if person is not None else p)
    return result


def end_placement(
    session: Session,
    child: Child,
    placement: Placement,
    *,
    end_date: date,
    end_reason: str,
    destination: str | None,
    expected_version: int,
    today: date,
    not_practicable_reason: str | None = None,
) -> Recorded:
    """End a placement without a new one (the child leaves care or goes missing). Ended on or
    after its date, `not_practicable_reason` says why notice could not be given first."""
    check_version(child, expected_version)
    plan = plan_end(session, child, placement, end_date, end_reason, today)
    reason = _reason_for(plan, not_practicable_reason, "not_practicable_reason")
    placement.end_date = end_date
    placement.end_reason = end_reason
    placement.destination = destination
    placement.end_not_practicable_reason = reason if plan.end_notified_after else None
    for carer in _current_carers(child, placement):
        carer.active = False
        carer.ended_on = end_date
        carer.updated_at = utcnow()
    child.updated_at = utcnow()
    session.flush()
    notifications = _write_notifications(
        session, child, placement, placement, plan.notifications, reason
    )
    return Recorded(placement, notifications)


def plan_end(
    session: Session,
    child: Child,
    placement: Placement,
    end_date: date,
    end_reason: str,
    today: date,
) -> Plan:
    problems = _problems()
    if placement.end_date is not None:
        problems["end_date"] = ["This placement has already ended"]
    elif end_date < placement.start_date:
        problems["end_date"] = [
            f"End date must be on or after the start, {placement.start_date:%-d %B %Y}"
        ]
    elif problem := placement_date_problem(end_date, today, "End date"):
        problems["end_date"] = [problem]
    if not codes.is_valid("REC", end_reason, on=end_date):
        problems["end_reason"] = ["Choose a reason the placement ended from the 903 list"]
    if problems:
        raise InvalidInput(problems)
    home = resolve_postcode(session, _home_postcode(child))
    event = rules.PlacementEvent(
        kind=rules.Change.END,
        home_authority_code=child.responsible_authority_code,
        home=_home_place(home),
        new=None,
        previous=_placement_facts(session, placement, end_date),
        contacts=_known_contacts(child, placement, None, _told_of_start(session, placement)),
        police_flag=child.police_flag,
        withholding=_recorded_withholding(placement),
        recorded_on=today,
    )
    decision = _decide(session, event, "end_date")
    return Plan(
        details=None,
        placement_location=None,
        geography=None,
        host_health_body_code=None,
        previous=placement,
        previous_end_date=end_date,
        notifications=_resolve_recipients(
            session, decision, child.responsible_authority_code, None
        ),
        approvals=(),
        withheld=decision.withheld,
        end_notified_after=decision.end_notified_after,
    )


def record_approval(
    session: Session,
    placement: Placement,
    *,
    level: str,
    decision: str,
    approver_id: int,
    area_authority_consulted: bool,
    care_plan_sent: bool,
    note: str | None,
) -> Approval:
    """Record a reg 11 decision. An approval needs what the rules say must come first: the
    area authority's notice sent and, at a distance, the area authority consulted and sent
    the care plan. A refusal can be recorded at any time."""
    problems = _problems()
    requirement = next(
        (r for r in approvals_required(session, placement) if r.level == level), None
    )
    if requirement is None:
        problems["level"] = ["This placement needs no decision at that level"]
    elif decision == "approved":
        done = {
            rules.Precondition.AREA_AUTHORITY_NOTIFIED: _area_authority_told(session, placement),
            rules.Precondition.AREA_AUTHORITY_CONSULTED: area_authority_consulted,
            rules.Precondition.CARE_PLAN_SENT: care_plan_sent,
        }
        for precondition in requirement.preconditions:
            if not done[precondition]:
                field_name, message = PRECONDITION_PROBLEMS[precondition]
                problems.setdefault(field_name, []).append(message)
    if any(a.level == level for a in placement.approvals):
        problems["level"] = ["This placement already has a decision at that level"]
    if problems:
        raise InvalidInput(problems)
    approval = Approval(
        placement=placement,
        level=level,
        decision=decision,
        approver_id=approver_id,
        area_authority_consulted=area_authority_consulted,
        care_plan_sent=care_plan_sent,
        note=note,
    )
    session.add(approval)
    return approval


def _decide(session: Session, event: rules.PlacementEvent, date_field: str) -> rules.Decision:
    try:
        return rules.who_must_be_told(event, working_day_calendars(session))
    except CalendarRangeError as exc:
        # Deadlines are counted in working days, known only for the years of the bank
        # holiday data.
        raise InvalidInput(
            {date_field: [f"We cannot count working days from that date: {exc}"]}
        ) from exc


# What a person is told when an approval's precondition is not met, and on which field.
PRECONDITION_PROBLEMS = {
    rules.Precondition.AREA_AUTHORITY_NOTIFIED: (
        "decision",
        "The area authority must have been sent its notice of this placement before it can "
        "be approved (reg 11): approve it once the notice has gone",
    ),
    rules.Precondition.AREA_AUTHORITY_CONSULTED: (
        "area_authority_consulted",
        "A placement at a distance can only be approved once the area authority has been consulted",
    ),
    rules.Precondition.CARE_PLAN_SENT: (
        "care_plan_sent",
        "A placement at a distance can only be approved once the area authority has been "
        "sent the care plan",
    ),
}


def _area_authority_told(session: Session, placement: Placement) -> bool:
    """Whether the area authority's notice of this placement has been sent."""
    return (
        session.scalar(
            select(Notification.id)
            .where(
                Notification.placement_id == placement.id,
                Notification.recipient_role == RecipientRole.AREA_AUTHORITY,
                Notification.event.in_(STATUTORY_EVENTS),
                Notification.status.in_([NotificationStatus.SENT, NotificationStatus.ACKNOWLEDGED]),
            )
            .limit(1)
        )
        is not None
    )


def approvals_required(
    session: Session, placement: Placement
) -> tuple[rules.ApprovalRequirement, ...]:
    """The reg 11 approvals a recorded placement needs, decided as when it was planned."""
    return rules.approvals_required(_placement_facts(session, placement, placement.end_date))[0]


def _recorded_withholding(placement: Placement) -> rules.Withholding | None:
    """Whoever was not told of the start is not told of the end either."""
    by_class = [w for w in placement.withholdings if w.contact_id is None]
    if not by_class:
        return None
    first = by_class[0]
    return rules.Withholding(
        frozenset(RecipientRole(w.role) for w in by_class),
        decided_by=first.decided_by,
        reason=first.reason,
    )


def _home_postcode(child: Child) -> str:
    """Our own children always have one (record_child requires it)."""
    if child.home_postcode is None:
        raise InvalidInput({"home_postcode": ["Add the child's home postcode first"]})
    return child.home_postcode


def check_version(child: Child, expected_version: int) -> None:
    """Refuse a change made on a stale read of the child's record."""
    if child.version != expected_version:
        raise Conflict("This child's record was changed by someone else since you opened it")


def _choose_health_body(
    placed: Location, chosen: str | None, problems: dict[str, list[str]]
) -> str | None:
    options = {hb.code for hb in placed.health_bodies}
    if chosen:
        if chosen not in options:
            problems["health_body_code"] = [
                "Choose one of the health bodies covering this postcode"
            ]
        return chosen
    if placed.split:
        names = ", ".join(f"{hb.name} ({hb.code})" for hb in placed.health_bodies)
        problems["health_body_code"] = [
            f"{placed.postcode} is in a district split between health bodies: choose one of {names}"
        ]
        return None
    return placed.health_body_code


def _home_place(home: Location) -> rules.Place:
    assert home.authority_code is not None  # record_child refuses homes outside Great Britain
    return rules.Place(
        authority_code=home.authority_code,
        health_body_code=home.health_body_code,
        division=division_of_nation(home.nation),
    )


def _facts(
    details: PlacementDetails,
    placed: Location,
    health_body: str | None,
    geography: PlacementGeography,
) -> rules.PlacementFacts:
    assert placed.authority_code is not None  # plan_placement refuses Northern Ireland
    return rules.PlacementFacts(
        start_date=details.start_date,
        end_date=details.end_date,
        emergency=details.emergency,
        place=rules.Place(placed.authority_code, health_body, division_of_nation(placed.nation)),
        out_of_area=geography.out_of_area,
        at_a_distance=geography.at_a_distance,
        placement_type=details.placement_type,
        provider=details.provider,
    )


def _placement_facts(
    session: Session, placement: Placement, end_date: date | None
) -> rules.PlacementFacts:
    host = session.get(Authority, placement.host_authority_code)
    assert host is not None
    return rules.PlacementFacts(
        start_date=placement.start_date,
        end_date=end_date,
        emergency=placement.emergency,
        place=rules.Place(
            placement.host_authority_code,
            placement.host_health_body_code,
            division_of_nation(host.nation),
        ),
        out_of_area=placement.out_of_area,
        at_a_distance=placement.at_a_distance,
        placement_type=placement.placement_type,
        provider=placement.provider,
    )


def _current_carers(child: Child, current: Placement | None) -> list[Contact]:
    """Who the child lives with now: the carer of the current placement, or one recorded
    among the child's people (before the first placement we record, the person caring)."""
    return [
        c
        for c in child.contacts
        if c.active
        and c.role == RecipientRole.CARER
        and (c.placement_id is None or (current is not None and c.placement_id == current.id))
    ]


# A reg 13 notice of a placement's start: its recipients are owed notice of its end (reg 14).
_START_EVENTS = (Event.PLACEMENT_START, Event.ADDRESS_CHANGE)


def _told_of_start(session: Session, placement: Placement | None) -> dict[int, RecipientRole]:
    """The people given (or, under reg 13(3), not given) a notice of `placement`'s start, by
    contact id, with the class they were told in."""
    if placement is None or placement.id is None:
        return {}
    rows = session.execute(
        select(Notification.recipient_code, Notification.recipient_role)
        .where(
            Notification.placement_id == placement.id,
            Notification.event.in_([e.value for e in _START_EVENTS]),
            Notification.recipient_kind == RecipientKind.CONTACT,
            Notification.status != NotificationStatus.CANCELLED,
        )
        .order_by(Notification.id)
    )
    return {
        int(code): RecipientRole(role)
        for code, role in rows
        if code and code.isdigit() and RecipientRole(role) in rules.CONTACT_ROLES
    }


def _known_contacts(
    child: Child,
    current: Placement | None,
    details: PlacementDetails | None,
    told_of_start: dict[int, RecipientRole] | None = None,
) -> tuple[rules.KnownContact, ...]:
    """The child's people as the rules see them. `current` is the placement ending (on a
    move or an end), `told_of_start` those told of its start, who are told of its end even
    once no longer among the child's people (the carer before it); `details` the new
    placement (on a start or a move)."""
    starting = details is not None
    # decisions kept with the placement that ends carry to its end notice
    kept = (
        {w.contact_id: w for w in current.withholdings if w.contact_id is not None}
        if current is not None
        else {}
    )
    known: list[rules.KnownContact] = []
    carers = _current_carers(child, current)
    for c in child.contacts:
        if not c.active or c.role in (RecipientRole.OTHER, RecipientRole.CARER):
            continue
        withheld = people.withheld_of(c)
        if withheld is None and c.id in kept:
            withheld = rules.PersonWithheld(kept[c.id].decided_by, kept[c.id].reason)
        role = RecipientRole(c.role)
        if withheld is not None and role not in rules.PERSON_WITHHOLDABLE_ROLES:
            withheld = None
        known.append(rules.KnownContact(role, str(c.id), withheld=withheld))
    for c in carers:
        withheld = people.withheld_of(c)
        if withheld is None and c.id in kept:
            withheld = rules.PersonWithheld(kept[c.id].decided_by, kept[c.id].reason)
        if current is not None:
            # reg 14: the person with whom the child was placed is told of the end
            known.append(rules.KnownContact(RecipientRole.CARER, str(c.id), withheld=withheld))
        if starting:
            # reg 13(2)(e): the person caring for the child immediately before
            known.append(
                rules.KnownContact(RecipientRole.PREVIOUS_CARER, str(c.id), withheld=withheld)
            )
    listed = {c.id for c in child.contacts if c.active}
    by_id = {c.id: c for c in child.contacts}
    for contact_id, role in (told_of_start or {}).items():
        person = by_id.get(contact_id)
        if contact_id in listed or person is None or role == RecipientRole.CARER:
            continue
        kept_decision = kept.get(contact_id)
        withheld = (
            rules.PersonWithheld(kept_decision.decided_by, kept_decision.reason)
            if kept_decision is not None
            else people.withheld_of(person)
        )
        if withheld is not None and role not in rules.PERSON_WITHHOLDABLE_ROLES:
            withheld = None
        known.append(rules.KnownContact(role, str(contact_id), withheld=withheld, leaves=True))
    if details is not None:
        if details.new_gp is not None:
            known.append(
                rules.KnownContact(RecipientRole.NEW_GP, _placeholder("new_gp"), joins=True)
            )
        if details.school is not None:
            known.append(
                rules.KnownContact(RecipientRole.SCHOOL, _placeholder("school"), joins=True)
            )
    return tuple(known)


def _placeholder(name: str) -> str:
    """How a plan names a person who will be recorded with the placement."""
    return f"new:{name}"


def _resolve_recipients(
    session: Session,
    decision: rules.Decision,
    responsible_authority_code: str,
    details: PlacementDetails | None,
) -> tuple[PlannedNotification, ...]:
    """Name and address each recipient from the directory; those withheld are listed too."""
    planned = []
    withheld = [
        (
            rules.Recipient(
                w.role,
                RecipientKind.CONTACT,
                w.contact_id,
                w.event,
                w.send_by or date.min,
                rules.RESPONSIBLE_DIVISION,
            ),
            f"{w.decided_by}: {w.reason}",
        )
        for w in decision.withheld
    ]
    listed: list[tuple[rules.Recipient, str | None]] = [(r, None) for r in decision.recipients]
    for r, withheld_reason in listed + withheld:
        code = _code(r.code_or_contact)
        address = None
        if r.kind == RecipientKind.CONTACT and code and code.startswith("new:"):
            person = getattr(details, code.removeprefix("new:"), None) if details else None
            planned.append(
                PlannedNotification(
                    role=r.role,
                    kind=r.kind,
                    event=r.event,
                    send_by=r.send_by,
                    code=code,
                    name=person.name if person else "",
                    address=person.email if person and person.email else None,
                    withheld_reason=withheld_reason,
                    late=r.late,
                )
            )
            continue
        if r.kind == RecipientKind.AUTHORITY:
            authority = session.get(Authority, code)
            name = authority.name if authority else code or ""
        elif r.kind == RecipientKind.HEALTH_BODY:
            body = session.get(HealthBody, code) if code else None
            name = body.name if body else "Health body to be chosen"
        elif r.kind == RecipientKind.CONTACT:
            contact = session.get(Contact, int(code)) if code else None
            name = contact.name if contact else "Unknown contact"
        else:
            team = our_team(session, responsible_authority_code, r.role)
            name = team.name if team else "Safeguarding quality assurance team"
            code = str(team.id) if team else None
        address = directory_address(session, r.kind, code)
        planned.append(
            PlannedNotification(
                role=r.role,
                kind=r.kind,
                event=r.event,
                send_by=r.send_by,
                code=code,
                name=name,
                address=address,
                withheld_reason=withheld_reason,
                late=r.late,
            )
        )
    return tuple(planned)


def _code(code_or_contact: str | int | None) -> str | None:
    return None if code_or_contact is None else str(code_or_contact)


def _write_notifications(
    session: Session,
    child: Child,
    new: Placement,
    old: Placement | None,
    planned: Iterable[PlannedNotification],
    late_reason: str | None = None,
) -> list[Notification]:
    return [
        outbox.enqueue(
            session,
            child=child,
            # end notices belong to the placement that ended; the others to the new one
            placement=old if (p.event == Event.PLACEMENT_END and old is not None) else new,
            event=p.event,
            recipient_kind=p.kind,
            recipient_role=p.role,
            recipient_code=p.code,
            recipient_name=p.name,
            address=p.address,
            send_by=p.send_by,
            withheld_reason=p.withheld_reason,
            late_reason=late_reason if p.late else None,
        )
        for p in planned
    ]
