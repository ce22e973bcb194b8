"""Postcode → district → authority and health bodies, read from the reference tables."""

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models.reference import (
    AdjoiningAuthority,
    Authority,
    District,
    DistrictHealthBody,
    HealthBody,
    Postcode,
)
from notify.geography.distance import PlacementGeography, placement_geography
from notify.geography.postcode import PostcodeError, normalise_postcode

__all__ = [
    "HealthBodyShare",
    "Location",
    "PlacementGeography",
    "adjoining",
    "placement_geography",
    "resolve_postcode",
]

NORTHERN_IRELAND_DISTRICT = "N09"


class HealthBodyShare(NamedTuple):
    """A health body covering a postcode's district, with the share of the district in it."""

    code: str
    name: str
    share: float


@dataclass(frozen=True)
class Location:
    """Where a postcode is: its centroid, district, authority and health bodies."""

    postcode: str
    lat: float | None
    lon: float | None
    district_code: str
    district_name: str | None
    authority_code: str | None  # None only in Northern Ireland (no children's services authority)
    authority_name: str | None
    nation: str  # england | wales | scotland | northern_ireland
    health_bodies: tuple[HealthBodyShare, ...]  # largest share first
    health_body_code: str | None  # None when split: a person must choose
    split: bool


# Built once, on the tables: building an ORM statement per call cost more than running it.
_p, _d, _a = Postcode.__table__.c, District.__table__.c, Authority.__table__.c
_dhb, _hb = DistrictHealthBody.__table__.c, HealthBody.__table__.c
_RESOLVE = (
    select(
        _p.lat,
        _p.lon,
        _p.district_code,
        _p.health_body_code,
        _d.name,
        _a.code,
        _a.name,
        _a.nation,
        _dhb.health_body_code,
        _hb.name,
        _dhb.share,
    )
    .select_from(Postcode.__table__)
    .outerjoin(District.__table__, _d.code == _p.district_code)
    .outerjoin(Authority.__table__, _a.code == _d.authority_code)
    .outerjoin(DistrictHealthBody.__table__, _dhb.district_code == _d.code)
    .outerjoin(HealthBody.__table__, _hb.code == _dhb.health_body_code)
    .where(_p.postcode == bindparam("postcode"))
)


def resolve_postcode(session: Session, text: str) -> Location:
    """Resolve a postcode a person typed, or raise PostcodeError saying what to do."""
    postcode = normalise_postcode(text)
    rows = session.execute(_RESOLVE, {"postcode": postcode}).all()
    if not rows:
        raise PostcodeError(f"{postcode} is not a live postcode: check it against the address")
    lat, lon, district_code, own_body, district_name, code, name, nation = rows[0][:8]
    if district_code and district_code.startswith(NORTHERN_IRELAND_DISTRICT):
        return Location(
            postcode, lat, lon, district_code, None, None, None, "northern_ireland", (), None, False
        )
    if code is None:
        raise PostcodeError(
            f"{postcode} is not linked to a local authority (it may be a PO box or a "
            "large-user postcode): enter the postcode of the address itself"
        )
    shares = tuple(
        sorted(
            (HealthBodyShare(r[8], r[9], r[10]) for r in rows if r[8] is not None),
            key=lambda hb: (-hb.share, hb.code),
        )
    )
    chosen = _own_health_body(session, own_body) if own_body else None
    if chosen is not None:
        # a full ONSPD gives the postcode's own ICB: no need to choose
        shares = (chosen,)
    return Location(
        postcode=postcode,
        lat=lat,
        lon=lon,
        district_code=district_code,
        district_name=district_name,
        authority_code=code,
        authority_name=name,
        nation=nation,
        health_bodies=shares,
        health_body_code=shares[0].code if len(shares) == 1 else None,
        split=len(shares) > 1,
    )


def _own_health_body(session: Session, code: str) -> HealthBodyShare | None:
    # An ICB code we do not know (an ONSPD newer than our health bodies) is ignored: the
    # district's shares still name bodies we can address.
    name = session.scalar(select(HealthBody.name).where(HealthBody.code == code))
    return HealthBodyShare(code, name, 1.0) if name is not None else None


def adjoining(session: Session, authority_code: str) -> frozenset[str]:
    """Codes of the authorities that share a land boundary with this one."""
    return frozenset(
        session.scalars(
            select(AdjoiningAuthority.neighbour_code).where(
                AdjoiningAuthority.authority_code == authority_code
            )
        )
    )
