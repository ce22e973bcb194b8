"""Postcode → district → authority and health bodies, as at a day, from an in-process index
of the reference tables (index.py).

One index per database connection or engine, built on first use (the small tables at once,
postcodes one outward code at a time). Whatever changes the reference tables calls
`forget_index`; another process's change is seen within REFRESH_SECONDS, when the index
compares the loaded reference versions with the database's.
"""

import time
import weakref
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.reference import (
    AdjoiningAuthority,
    Authority,
    District,
    DistrictAuthority,
    DistrictHealthBody,
    HealthBody,
    Postcode,
    ReferenceVersion,
    Succession,
)
from notify.calendar import today_uk
from notify.geography.distance import PlacementGeography, placement_geography
from notify.geography.index import (
    Area,
    Body,
    GeographyIndex,
    GeographyRows,
    HealthBodyShare,
    Link,
    Location,
    Point,
    Successor,
)
from notify.geography.postcode import PostcodeError

__all__ = [
    "Area",
    "HealthBodyShare",
    "Location",
    "PlacementGeography",
    "PostcodeError",
    "adjoining",
    "adjoining_list",
    "correct_adjoining",
    "forget_index",
    "geography_index",
    "placement_geography",
    "resolve_postcode",
]

REFRESH_SECONDS = 60.0
REMOVED = "removed"  # an adjoining pair an administrator struck out

_HEALTH_BODY_NATION = {"icb": "england", "lhb": "wales", "hb": "scotland"}
_p = Postcode.__table__.c
_POINTS = select(
    _p.postcode, _p.district_code, _p.health_body_code, _p.lat, _p.lon, _p.easting, _p.northing
)


class _Held:
    """An index, the reference versions it was built from, and the session it reads
    postcodes through (the latest caller's)."""

    __slots__ = ("checked_at", "index", "session", "versions")

    def __init__(self, session: Session) -> None:
        self.session = session
        self.versions = _versions(session)
        self.checked_at = time.monotonic()
        self.index = _build(self)


_indexes: "weakref.WeakKeyDictionary[Any, _Held]" = weakref.WeakKeyDictionary()


def geography_index(session: Session) -> GeographyIndex:
    """The index for the session's database, built on first use."""
    bind = session.get_bind()
    held = _indexes.get(bind)
    if held is not None and time.monotonic() - held.checked_at > REFRESH_SECONDS:
        if _versions(session) == held.versions:
            held.checked_at = time.monotonic()
        else:
            held = None
    if held is None:
        held = _indexes[bind] = _Held(session)
    held.session = session
    return held.index


def forget_index(session: Session) -> None:
    """Drop the index of the session's database: the next lookup builds it again."""
    _indexes.pop(session.get_bind(), None)


def resolve_postcode(session: Session, text: str, on: date | None = None) -> Location:
    """Resolve a postcode a person typed, as at `on` (today in the UK by default), or raise
    PostcodeError saying what to do."""
    return geography_index(session).resolve(text, on or today_uk())


def adjoining(session: Session, authority_code: str) -> frozenset[str]:
    """Codes of the authorities that share a boundary (land or water) with this one."""
    return frozenset(
        session.scalars(
            select(AdjoiningAuthority.neighbour_code).where(
                AdjoiningAuthority.authority_code == authority_code,
                AdjoiningAuthority.source != REMOVED,
            )
        )
    )


def _versions(session: Session) -> Any:
    rows = session.execute(
        select(ReferenceVersion.name, ReferenceVersion.checksum).order_by(ReferenceVersion.name)
    )
    return tuple((name, checksum) for name, checksum in rows)


def _build(held: _Held) -> GeographyIndex:
    session = held.session
    rows = GeographyRows(
        district_names={c: n for c, n in session.execute(select(District.code, District.name))},
        authorities=[
            Body(a.code, a.name, a.nation, a.valid_from, a.valid_to)
            for a in session.execute(
                select(
                    Authority.code,
                    Authority.name,
                    Authority.nation,
                    Authority.valid_from,
                    Authority.valid_to,
                )
            )
        ],
        health_bodies=[
            Body(
                h.code, h.name, _HEALTH_BODY_NATION.get(h.kind, "england"), h.valid_from, h.valid_to
            )
            for h in session.execute(
                select(
                    HealthBody.code,
                    HealthBody.name,
                    HealthBody.kind,
                    HealthBody.valid_from,
                    HealthBody.valid_to,
                )
            )
        ],
        district_authorities=[
            Link(r.district_code, r.authority_code, 1.0, r.valid_from, r.valid_to)
            for r in session.execute(
                select(
                    DistrictAuthority.district_code,
                    DistrictAuthority.authority_code,
                    DistrictAuthority.valid_from,
                    DistrictAuthority.valid_to,
                )
            )
        ],
        district_health_bodies=[
            Link(r.district_code, r.health_body_code, r.share, r.valid_from, r.valid_to)
            for r in session.execute(
                select(
                    DistrictHealthBody.district_code,
                    DistrictHealthBody.health_body_code,
                    DistrictHealthBody.share,
                    DistrictHealthBody.valid_from,
                    DistrictHealthBody.valid_to,
                )
            )
        ],
        successions=[
            Successor(s.from_code, s.to_code, s.effective, s.kind)
            for s in session.execute(
                select(
                    Succession.from_code, Succession.to_code, Succession.effective, Succession.kind
                )
            )
        ],
    )

    def fetch_sector(sector: str) -> Iterator[tuple[str, Point]]:
        # "WR1 2" ≤ postcode < "WR1 3": the primary key's range, not a scan
        after = sector[:-1] + chr(ord(sector[-1]) + 1)
        rows = held.session.execute(_POINTS.where(_p.postcode >= sector, _p.postcode < after))
        return ((r[0], Point(*r[1:])) for r in rows)

    return GeographyIndex(rows, fetch_sector)


def adjoining_list(session: Session, authority_code: str) -> list[tuple[str, str, str]]:
    """(code, name, source) of each authority adjoining this one, by name: source is seeds
    (derived, or water boundaries by law) or admin (added by an administrator)."""
    rows = session.execute(
        select(Authority.code, Authority.name, AdjoiningAuthority.source)
        .join(AdjoiningAuthority, AdjoiningAuthority.neighbour_code == Authority.code)
        .where(
            AdjoiningAuthority.authority_code == authority_code,
            AdjoiningAuthority.source != REMOVED,
        )
        .order_by(Authority.name)
    )
    return [(code, name, source) for code, name, source in rows]


def correct_adjoining(
    session: Session, authority_code: str, neighbour_code: str, *, adjoin: bool
) -> bool:
    """An administrator's correction of the adjoining list (both ways); kept when the seeds
    are reloaded. Returns whether anything changed. The caller audits and commits."""
    for code in (authority_code, neighbour_code):
        if session.get(Authority, code) is None:
            raise ValueError(f"{code} is not an authority we know: use its ONS code")
    if authority_code == neighbour_code:
        raise ValueError("An authority cannot adjoin itself")
    changed = False
    for a, b in ((authority_code, neighbour_code), (neighbour_code, authority_code)):
        row = session.get(AdjoiningAuthority, (a, b))
        now_adjoins = row is not None and row.source != REMOVED
        if now_adjoins == adjoin:
            continue
        changed = True
        if row is None:
            session.add(AdjoiningAuthority(authority_code=a, neighbour_code=b, source="admin"))
        else:
            row.source = "admin" if adjoin else REMOVED
    session.flush()
    return changed
