"""The rows of a notice: the child, the placing authority, the placement, an end (DOMAIN.md §4);
and the shorter forms for queries, reconciliations and our own partners."""

from datetime import date

from flask import current_app

from models import (
    Child,
    Contact,
    Notification,
    Placement,
)
from models.enums import CHASE_EVENTS, PARTNER_ROLES, Event, RecipientKind, RecipientRole
from notify import codes
from notify.calendar import today_uk, uk_date
from notify.labels import SEX
from notify.notifications.rendering.directory import Directory
from notify.notifications.rendering.message import ReconciledChild, Rows, Section, long_date


def initials(child: dict[str, object]) -> str:
    given, family = str(child.get("given_name") or " "), str(child.get("family_name") or " ")
    return f"{given[:1]}{family[:1]}".strip().upper()


def district(postcode: str | None) -> str:
    """The outward code ("WR5" of "WR5 3AA"): where, without the street."""
    return (postcode or "").split(" ")[0]


def query_rows(payload: dict[str, object], secure: bool) -> Rows:
    child: dict = payload.get("child") or {}  # type: ignore[assignment]
    placement: dict = payload.get("placement") or {}  # type: ignore[assignment]
    address: dict = placement.get("address") or {}
    rows = [
        (
            "Child",
            f"{child.get('given_name', '')} {child.get('family_name', '')}".strip()
            if secure
            else initials(child),
        ),
        ("Your id for the child", str(child.get("placing_authority_child_id") or "")),
    ]
    if secure and child.get("date_of_birth"):
        rows.append(("Date of birth", long_date(date.fromisoformat(str(child["date_of_birth"])))))
    if placement.get("start_date"):
        rows.append(
            ("Placement start", long_date(date.fromisoformat(str(placement["start_date"]))))
        )
    if secure:
        parts = [address.get(k) for k in ("line_1", "line_2", "town", "postcode")]
        rows.append(("Placement address", ", ".join(str(x) for x in parts if x)))
    else:
        where = [address.get("town"), district(address.get("postcode"))]
        rows.append(("Placed in", ", ".join(str(x) for x in where if x)))
    return tuple(rows)


def reconciled(child: Child, placement: Placement, secure: bool) -> ReconciledChild:
    town = placement.town or ""
    return ReconciledChild(
        initials=child.initials,
        child_id=child.case_reference,
        start_date=placement.start_date,
        place=", ".join(
            x for x in (town, placement.postcode if secure else district(placement.postcode)) if x
        ),
        name=f"{child.given_name} {child.family_name}" if secure else None,
        date_of_birth=child.date_of_birth if secure else None,
    )


def for_partner(notification: Notification) -> bool:
    return (
        notification.recipient_kind == RecipientKind.INTERNAL
        and notification.recipient_role in PARTNER_ROLES
        and notification.event not in CHASE_EVENTS
        and notification.placement is not None
    )


def partner_rows(notification: Notification, child: Child, placing: str) -> Rows:
    """What our virtual school or health team needs to pick the child up: no name, no date
    of birth (their addresses are not vetted); the rest is on the child's page."""
    placement: Placement = notification.placement
    today = today_uk()
    age = (
        today.year
        - child.date_of_birth.year
        - ((today.month, today.day) < (child.date_of_birth.month, child.date_of_birth.day))
    )
    contacts = {c.role: c for c in child.contacts if c.active}
    rows = [
        ("Placing authority", placing),
        ("Their id for the child", child.case_reference),
        ("Initials", child.initials),
        ("Age", f"{age}"),
        ("Legal status", codes.described("LS", child.legal_status)),
        ("Placement start", long_date(placement.start_date)),
        ("Placement type", codes.described("PLACE", placement.placement_type)),
        ("Placed in", ", ".join(x for x in (placement.town, district(placement.postcode)) if x)),
    ]
    if notification.event == Event.PLACEMENT_END:
        rows.append(
            (
                "Placement ended",
                long_date(placement.end_date) if placement.end_date else "Not recorded",
            )
        )
        rows.append(
            (
                "Reason it ended",
                codes.described("REC", placement.end_reason, "Not recorded"),
            )
        )
    if notification.recipient_role == RecipientRole.VIRTUAL_SCHOOL:
        rows.append(("School or education provider", _contact(contacts.get(RecipientRole.SCHOOL))))
        rows.append(("EHC plan", "Yes" if child.ehc_plan_maintained_by else "No"))
    else:
        rows.append(("GP", _contact(contacts.get(RecipientRole.GP))))
    return tuple(rows)


def sections(
    notification: Notification, child: Child, placing: str, directory: Directory
) -> tuple[Section, ...]:
    placement: Placement = notification.placement
    contacts = {c.role: c for c in child.contacts if c.active}
    sections = []
    if notification.late_reason:
        sections.append(Section("Why this notice is late", (("Late", notification.late_reason),)))
    sections += [
        Section("The child", _child_rows(child, directory)),
        Section("Placing authority", _authority_rows(child, placing, contacts, directory)),
    ]
    # a reminder repeats the notice it chases
    event = notification.reminder_of.event if notification.reminder_of else notification.event
    if event == Event.PLACEMENT_WITHDRAWN:
        sections.append(Section("The placement that will not happen", _withdrawn_rows(placement)))
        return tuple(sections)
    if event == Event.PLACEMENT_END:
        # reg 14(2): a planned end is notice of the intention, given before it ends
        planned = placement.end_date is not None and placement.end_date > today_uk()
        heading = "The placement that is to end" if planned else "The placement that ended"
        sections.append(Section(heading, _ended_rows(placement, planned)))
    else:
        sections.append(Section("The placement", _placement_rows(placement)))
        earlier = [
            p for p in child.placements if p.start_date < placement.start_date and not p.withdrawn
        ]
        previous = max(earlier, key=lambda p: p.start_date) if earlier else None
        previous_rows: Rows = (("Address", _address(previous) if previous else "None"),)
        if event == Event.ADDRESS_CHANGE and previous and previous.end_not_practicable_reason:
            previous_rows += ((NOT_PRACTICABLE, previous.end_not_practicable_reason),)
        sections.append(Section("Previous placement", previous_rows))
    sections.append(
        Section(
            "School and health",
            (
                ("School or education provider", _contact(contacts.get(RecipientRole.SCHOOL))),
                ("GP", _contact(contacts.get(RecipientRole.GP))),
                ("New GP", _contact(contacts.get(RecipientRole.NEW_GP))),
            ),
        )
    )
    sections.append(
        Section("Risks and vulnerabilities", (("Recorded risks", child.risks or "None recorded"),))
    )
    return tuple(sections)


def _child_rows(child: Child, directory: Directory) -> Rows:
    ehc = "No"
    if child.ehc_plan_maintained_by:
        ehc = f"Yes, maintained by {directory.authority_name(child.ehc_plan_maintained_by)}"
    return (
        ("Name", f"{child.given_name} {child.family_name}"),
        ("Also known as", child.also_known_as or "None"),
        ("Date of birth", long_date(child.date_of_birth)),
        ("Sex", SEX.get(child.sex, child.sex)),
        ("Ethnicity", child.ethnicity or "Not recorded"),
        ("Disability", _yes_no(child.disability)),
        ("NHS number", _nhs_number(child.nhs_number)),
        ("Legal status", codes.described("LS", child.legal_status)),
        ("Child protection plan", _yes_no(child.child_protection_plan)),
        ("Education, health and care plan", ehc),
        ("Unaccompanied asylum-seeking child", _yes_no(child.uasc)),
        ("Our case reference", child.case_reference),
    )


def _authority_rows(
    child: Child, placing: str, contacts: dict[str, Contact], directory: Directory
) -> Rows:
    worker = directory.users.get(child.social_worker_id) if child.social_worker_id else None
    rows = [
        ("Placing authority", placing),
        ("Social worker", f"{worker.name}, {worker.email}" if worker else "Not recorded"),
        ("Independent reviewing officer", _contact(contacts.get(RecipientRole.IRO))),
    ]
    out_of_hours = current_app.config.get("OUT_OF_HOURS_PHONE")
    if out_of_hours:
        rows.append(("Out-of-hours number", out_of_hours))
    return tuple(rows)


def _placement_rows(placement: Placement) -> Rows:
    reason = placement.reason_for_change
    return (
        ("Start date", long_date(placement.start_date)),
        ("Placement type", codes.described("PLACE", placement.placement_type)),
        ("Placement provider", codes.described("PLACE_PROVIDER", placement.provider)),
        ("Expected end", long_date(placement.end_date) if placement.end_date else "Not known"),
        ("Carer or establishment", placement.carer_name or "Not recorded"),
        ("Carer (for a home, its registered person)", _contact(_carer(placement))),
        ("Ofsted URN", placement.urn or "None"),
        ("Address", _address(placement)),
        ("Telephone", placement.telephone or "Not recorded"),
        ("Emergency placement", _yes_no(placement.emergency)),
        (
            "Reason for the change",
            codes.described("REASON_PLACE_CHANGE", reason, "Not recorded"),
        ),
    )


def _withdrawn_rows(placement: Placement) -> Rows:
    """A planned placement that will not happen: which one, and why."""
    child = placement.child
    where = ", ".join(x for x in (placement.town, district(placement.postcode)) if x)
    return (
        (
            "Withdrawn",
            f"The planned placement of {child.given_name} {child.family_name} from "
            f"{long_date(placement.start_date)} in {where} will not happen. Any notice you "
            "were sent about it no longer stands.",
        ),
        ("Planned start date", long_date(placement.start_date)),
        ("Planned address", _address(placement)),
        ("Why it will not happen", placement.withdrawn_reason or "Not recorded"),
        (
            "Withdrawn on",
            long_date(uk_date(placement.withdrawn_at)) if placement.withdrawn_at else "",
        ),
    )


NOT_PRACTICABLE = "Why notice was not given before it ended"


def _ended_rows(placement: Placement, planned: bool = False) -> Rows:
    rows: Rows = (
        ("Address", _address(placement)),
        ("Carer or establishment", placement.carer_name or "Not recorded"),
        ("Start date", long_date(placement.start_date)),
        (
            "Planned end date" if planned else "End date",
            long_date(placement.end_date) if placement.end_date else "Not recorded",
        ),
        (
            "Reason it ended",
            codes.described("REC", placement.end_reason, "Not recorded"),
        ),
        ("Where the child went", placement.destination or "Not recorded"),
    )
    if placement.end_not_practicable_reason:  # reg 14(4)
        rows += ((NOT_PRACTICABLE, placement.end_not_practicable_reason),)
    return rows


def _carer(placement: Placement) -> Contact | None:
    """The person with whom the child is placed, recorded with the placement."""
    carers = [
        c
        for c in placement.child.contacts
        if c.placement_id == placement.id and c.role == RecipientRole.CARER
    ]
    return carers[-1] if carers else None


def _address(placement: Placement) -> str:
    parts = [placement.address_line_1, placement.address_line_2, placement.town, placement.postcode]
    return ", ".join(p for p in parts if p)


def _contact(contact: Contact | None) -> str:
    if contact is None:
        return "Not recorded"
    return ", ".join(
        d for d in (contact.name, contact.organisation, contact.email, contact.phone) if d
    )


def _nhs_number(number: str | None) -> str:
    if not number:
        return "Not held"
    return f"{number[:3]} {number[3:6]} {number[6:]}" if len(number) == 10 else number


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"
