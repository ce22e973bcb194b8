"""Reference data: authorities, health bodies, districts, postcodes, bank holidays."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import (
    AUTHORITY_KINDS,
    DIVISIONS,
    HEALTH_BODY_KINDS,
    NATIONS,
    SUCCESSION_BODIES,
    SUCCESSION_KINDS,
    check_in,
)

# Every dated row below is valid from valid_from to valid_to inclusive; None is open-ended.
_VALID_RANGE = "valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to"


class Authority(Base):
    """A council that may be a placing or area authority (England's children's services
    authorities, Welsh and Scottish councils)."""

    __tablename__ = "authorities"
    __table_args__ = (
        CheckConstraint(check_in("kind", AUTHORITY_KINDS), name="kind"),
        CheckConstraint(check_in("nation", NATIONS), name="nation"),
        CheckConstraint(_VALID_RANGE, name="valid_range"),
    )

    code: Mapped[str] = mapped_column(String(9), primary_key=True)  # ONS GSS code
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    nation: Mapped[str] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(60))
    dfe_la_number: Mapped[str | None] = mapped_column(String(3), unique=True)
    notification_email: Mapped[str | None] = mapped_column(String(254))
    secure_email: Mapped[bool] = mapped_column(default=False)
    api_endpoint: Mapped[str | None] = mapped_column(String(500))
    # The key that authority's Placement Notify issued us, encrypted with our SECRET_KEY.
    api_key_encrypted: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # The council as an organisation, apart from its ONS code (which changes when its
    # boundary does: Barnsley E08000016 → E08000038). The DfE number in England.
    organisation: Mapped[str | None] = mapped_column(String(12), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<Authority {self.code}>"


class HealthBody(Base):
    """ICB (England), Local Health Board (Wales) or NHS Health Board (Scotland)."""

    __tablename__ = "health_bodies"
    __table_args__ = (
        CheckConstraint(check_in("kind", HEALTH_BODY_KINDS), name="kind"),
        CheckConstraint(_VALID_RANGE, name="valid_range"),
    )

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    ods_code: Mapped[str | None] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    notification_email: Mapped[str | None] = mapped_column(String(254))
    secure_email: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # The body as an organisation, apart from its ONS code: Hampshire and Isle of Wight ICB
    # kept ODS code QRL when its ONS code went from E54000042 to E54000067.
    organisation: Mapped[str | None] = mapped_column(String(12), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<HealthBody {self.code}>"


class District(Base):
    """A local authority district (LAD), the unit a postcode resolves to."""

    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    authority: Mapped[Authority] = relationship()


class DistrictAuthority(Base):
    """Which authority a district belongs to, and when.

    On a day, a district's link is the valid one that started last: a reorganisation loaded
    ahead adds links from its date without changing the ones it supersedes.
    """

    __tablename__ = "district_authorities"
    __table_args__ = (CheckConstraint(_VALID_RANGE, name="valid_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(60), default="seeds")


class DistrictHealthBody(Base):
    """The health bodies covering a district, with the share of the district in each, and when.

    On a day, a district's shares are the valid rows with the latest valid_from.
    """

    __tablename__ = "district_health_bodies"
    __table_args__ = (
        CheckConstraint("share > 0 AND share <= 1", name="share"),
        CheckConstraint(_VALID_RANGE, name="valid_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), index=True)
    health_body_code: Mapped[str] = mapped_column(ForeignKey("health_bodies.code"), index=True)
    share: Mapped[float] = mapped_column(Float)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(60), default="seeds")
    health_body: Mapped[HealthBody] = relationship()


class Succession(Base):
    """A body that ended on `effective` and the body that took on (some of) its duties.

    kind: whole (all of its area), part (a split, decided by postcode or district) or
    recode (the same organisation under a new ONS code).
    """

    __tablename__ = "successions"
    __table_args__ = (
        CheckConstraint(check_in("body", SUCCESSION_BODIES), name="body"),
        CheckConstraint(check_in("kind", SUCCESSION_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(12))  # authority | health_body
    from_code: Mapped[str] = mapped_column(String(9), index=True)
    to_code: Mapped[str] = mapped_column(String(9))
    effective: Mapped[date] = mapped_column(Date)  # the successor's first day
    kind: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(60), default="seeds")


class AdjoiningAuthority(Base):
    """A pair of authorities sharing a boundary (stored in both directions)."""

    __tablename__ = "adjoining_authorities"

    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), primary_key=True)
    neighbour_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), primary_key=True)
    # seeds | admin: an administrator's correction survives reloading the seeds
    source: Mapped[str] = mapped_column(String(10), default="seeds")


class Postcode(Base):
    """A live postcode, its district, its centroid and (from a full ONSPD) its own ICB."""

    __tablename__ = "postcodes"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # normalised "OUT IN"
    district_code: Mapped[str | None] = mapped_column(String(9))
    health_body_code: Mapped[str | None] = mapped_column(String(9))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # OS National Grid reference in metres (ONSPD oseast1m / osnrth1m): PL_DISTANCE
    easting: Mapped[int | None] = mapped_column(Integer)
    northing: Mapped[int | None] = mapped_column(Integer)


class BankHoliday(Base):
    __tablename__ = "bank_holidays"
    __table_args__ = (CheckConstraint(check_in("division", DIVISIONS), name="division"),)

    division: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))


class ReferenceVersion(Base):
    """Which reference data set is loaded, so reloading an unchanged one does nothing."""

    __tablename__ = "reference_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)


class SecureDomain(Base):
    """A mail domain that meets the secure email standard (DCB1596): a recipient there gets
    the full notice in the email. nhs.net is seeded; an administrator adds accredited ones."""

    __tablename__ = "secure_domains"
    __table_args__ = (CheckConstraint("domain = lower(domain)", name="lower"),)

    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
