"""Reference data: authorities, health bodies, districts, postcodes, bank holidays."""

from datetime import date

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.enums import AUTHORITY_KINDS, DIVISIONS, HEALTH_BODY_KINDS, NATIONS, check_in


class Authority(Base):
    """A council that may be a placing or area authority (England's children's services
    authorities, Welsh and Scottish councils)."""

    __tablename__ = "authorities"
    __table_args__ = (
        CheckConstraint(check_in("kind", AUTHORITY_KINDS), name="kind"),
        CheckConstraint(check_in("nation", NATIONS), name="nation"),
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

    def __repr__(self) -> str:
        return f"<Authority {self.code}>"


class HealthBody(Base):
    """ICB (England), Local Health Board (Wales) or NHS Health Board (Scotland)."""

    __tablename__ = "health_bodies"
    __table_args__ = (CheckConstraint(check_in("kind", HEALTH_BODY_KINDS), name="kind"),)

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    ods_code: Mapped[str | None] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    notification_email: Mapped[str | None] = mapped_column(String(254))
    secure_email: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<HealthBody {self.code}>"


class District(Base):
    """A local authority district (LAD), the unit a postcode resolves to."""

    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    authority: Mapped[Authority] = relationship()


class DistrictHealthBody(Base):
    """The health bodies covering a district, with the share of the district in each."""

    __tablename__ = "district_health_bodies"
    __table_args__ = (CheckConstraint("share > 0 AND share <= 1", name="share"),)

    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"), primary_key=True)
    health_body_code: Mapped[str] = mapped_column(
        ForeignKey("health_bodies.code"), primary_key=True
    )
    share: Mapped[float] = mapped_column(Float)
    health_body: Mapped[HealthBody] = relationship()


class AdjoiningAuthority(Base):
    """A pair of authorities sharing a boundary (stored in both directions)."""

    __tablename__ = "adjoining_authorities"

    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), primary_key=True)
    neighbour_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), primary_key=True)


class Postcode(Base):
    """A live postcode, its district, its centroid and (from a full ONSPD) its own ICB."""

    __tablename__ = "postcodes"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # normalised "OUT IN"
    district_code: Mapped[str | None] = mapped_column(String(9))
    health_body_code: Mapped[str | None] = mapped_column(String(9))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


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
