"""The demo's SSDA903 details: what a case system holds for each child and placement that the
return needs and the rest of the demo does not (category of need, UPN, mother status, each
placement's legal status), chosen as the DfE's rules require of real data.

Kept apart from notify/demo/children.py so the demo's shape stays in one place; `load_demo` calls
`add_903_details` once its children are written.
"""

import random

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Authority, Child

# England, 31 March 2025 (DfE, children looked after): about two in three for abuse or neglect.
CATEGORIES_OF_NEED = (
    ("N1", 65), ("N2", 3), ("N3", 3), ("N4", 6), ("N5", 12), ("N6", 1), ("N7", 0), ("N8", 10),
)  # fmt: skip
# Remanded to youth detention or local authority accommodation: the legal status of a child
# in a secure home or young offender institution on remand (PACE, J2, lasts hours at most).
REMAND = "J1"
DETAINED_PLACES = frozenset({"K1", "R5"})
AGE_OF_CRIMINAL_RESPONSIBILITY = 10
ADOPTION_PLACES = frozenset({"A3", "A4", "A5", "A6"})
# placed for adoption under a placement order (A5, A6): the placement order is the status
WITH_PLACEMENT_ORDER = frozenset({"A5", "A6"})
# settings registered with Ofsted that the demo's children's lists leave without a URN
REGISTERED_WITHOUT_URN = frozenset({"H5", "R3"})
# A child placed with parents, or in any other placement, has a care order unless the child
# is accommodated under s20 (V2), which placement with parents (reg 18) cannot be.
WITH_PARENTS = "P1"


def add_903_details(session: Session, rng: random.Random, home_authority_code: str) -> int:
    """Give each of our children and placements the 903 fields; say how many children."""
    home = session.get(Authority, home_authority_code)
    la_number = (home.dfe_la_number if home else None) or "000"
    children = session.scalars(
        select(Child)
        .where(Child.responsible_authority_code == home_authority_code)
        .options(selectinload(Child.placements))
        .order_by(Child.id)
    ).all()
    for serial, child in enumerate(children, start=1):
        child.category_of_need = "N8" if child.uasc else _weighted(rng, CATEGORIES_OF_NEED)
        # a UPN: a letter, the LA number, a school's number, the year and a serial
        child.upn = f"A{la_number}{rng.randint(1000, 9999)}{rng.randint(10, 24)}{serial % 1000:03d}"
        child.mother = False if child.sex == "F" else None
        for placement in child.placements:
            age = (placement.start_date - child.date_of_birth).days // 365
            placement.legal_status = _legal_status(
                child.legal_status, placement.placement_type, age
            )
            if placement.placement_type in REGISTERED_WITHOUT_URN and not placement.urn:
                # supported accommodation whose provider registered with Ofsted (from October
                # 2023 no child may be placed in one that has not); a residential family centre
                placement.urn = f"SC8{rng.randint(0, 99999):05d}"
    return len(children)


def _legal_status(child_now: str, place: str, age: int) -> str:
    if place in DETAINED_PLACES:
        # no child under 10 can be remanded: a younger child in a secure home is there on a
        # secure accommodation order, in care
        return REMAND if age >= AGE_OF_CRIMINAL_RESPONSIBILITY else "C2"
    if place in WITH_PLACEMENT_ORDER:
        return child_now if child_now in {"E1", "D1"} else "E1"
    if place in ADOPTION_PLACES:
        return child_now if child_now in {"E1", "D1", "C2"} else "E1"
    if child_now.startswith(("J", "E", "D")) or (place == WITH_PARENTS and child_now == "V2"):
        return "C2"  # before the remand or the placement order, a care order
    return child_now


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]
