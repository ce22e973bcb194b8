"""Children, their placements, the approvals those need, and the people around them."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import ApprovalLevel, RecipientRole, check_in


class Child(Base):
    """A looked-after child: ours (placed out of county) or another authority's (hosted)."""

    __tablename__ = "children"
    __table_args__ = (
        UniqueConstraint("responsible_authority_code", "case_reference", name="case_reference"),
        CheckConstraint("sex IN ('M', 'F', 'U')", name="sex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(40))
    responsible_authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    also_known_as: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date]
    sex: Mapped[str] = mapped_column(String(1))
    ethnicity: Mapped[str | None] = mapped_column(String(4))
    nhs_number: Mapped[str | None] = mapped_column(String(10))
    legal_status: Mapped[str] = mapped_column(String(2))
    uasc: Mapped[bool] = mapped_column(default=False)
    disability: Mapped[bool] = mapped_column(default=False)
    child_protection_plan: Mapped[bool] = mapped_column(default=False)
    ehc_plan_maintained_by: Mapped[str | None] = mapped_column(String(9))
    # where the child lived before care; unknown for some children other authorities place here
    home_postcode: Mapped[str | None] = mapped_column(String(8))
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    police_flag: Mapped[bool] = mapped_column(default=False)
    risks: Mapped[str | None] = mapped_column(Text)
    # For the SSDA903 return: category of need (CIN), unique pupil number (or UN1-UN5), and
    # whether the young person is a mother (MOTHER: True, False, or not recorded)
    category_of_need: Mapped[str | None] = mapped_column(String(2))
    upn: Mapped[str | None] = mapped_column(String(13))
    mother: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    placements: Mapped[list["Placement"]] = relationship(
        back_populates="child", order_by="Placement.start_date", cascade="all, delete-orphan"
    )
    contacts: Mapped[list["Contact"]] = relationship(back_populates="child", order_by="Contact.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def initials(self) -> str:
        return f"{self.given_name[:1]}{self.family_name[:1]}".upper()

    @property
    def current_placement(self) -> "Placement | None":
        open_ = [p for p in self.placements if p.end_date is None and p.withdrawn_at is None]
        return open_[-1] if open_ else None


class Placement(Base):
    """One placement of a child at one address, with the fields derived as the DfE does."""

    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        CheckConstraint("location IN ('IN', 'OUT')", name="location"),
        Index("ix_placements_child_start", "child_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    placement_type: Mapped[str] = mapped_column(String(3))
    provider: Mapped[str] = mapped_column(String(3))
    carer_name: Mapped[str | None] = mapped_column(String(200))
    urn: Mapped[str | None] = mapped_column(String(10))
    address_line_1: Mapped[str] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(8))
    telephone: Mapped[str | None] = mapped_column(String(30))
    emergency: Mapped[bool] = mapped_column(default=False)
    reason_for_change: Mapped[str | None] = mapped_column(String(6))
    end_reason: Mapped[str | None] = mapped_column(String(6))
    destination: Mapped[str | None] = mapped_column(String(200))
    # Reg 14(4): an end recorded on or after its date, and why notice could not be given first.
    end_not_practicable_reason: Mapped[str | None] = mapped_column(String(200))
    # 903 LS during this placement, where it differs from the child's legal status now
    legal_status: Mapped[str | None] = mapped_column(String(2))
    # Derived at recording time from the postcodes (DOMAIN.md §6).
    host_authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    host_health_body_code: Mapped[str | None] = mapped_column(ForeignKey("health_bodies.code"))
    location: Mapped[str] = mapped_column(String(3))
    distance_miles: Mapped[float | None]
    adjoining: Mapped[bool] = mapped_column(default=False)
    at_a_distance: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A planned placement that will not happen: kept, never deleted, and never current.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(String(200))
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    child: Mapped[Child] = relationship(back_populates="placements")
    host_authority = relationship("Authority", foreign_keys=[host_authority_code])
    host_health_body = relationship("HealthBody", foreign_keys=[host_health_body_code])
    approvals: Mapped[list["Approval"]] = relationship(back_populates="placement")
    withholdings: Mapped[list["Withholding"]] = relationship(back_populates="placement")

    __mapper_args__ = {"version_id_col": version}

    @property
    def out_of_area(self) -> bool:
        return self.location == "OUT"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @hybrid_method
    def open_on(self, day: date) -> bool:
        """Not ended by `day` (planned ones included, withdrawn ones never). A placement ends
        on the day the next begins, as the 903 return records it, so on its end date it is
        over."""
        return self.withdrawn_at is None and (self.end_date is None or self.end_date > day)

    @open_on.inplace.expression  # type: ignore[attr-defined]
    @classmethod
    def _open_on(cls, day: date) -> ColumnElement[bool]:
        return and_(cls.withdrawn_at.is_(None), or_(cls.end_date.is_(None), cls.end_date > day))

    @hybrid_method
    def current_on(self, day: date) -> bool:
        """Where the child lives on `day`: started by then, and open."""
        return self.start_date <= day and self.open_on(day)

    @current_on.inplace.expression  # type: ignore[attr-defined]
    @classmethod
    def _current_on(cls, day: date) -> ColumnElement[bool]:
        return and_(cls.start_date <= day, cls.open_on(day))


class Approval(Base):
    """A reg 11 decision on an out-of-area placement."""

    __tablename__ = "approvals"
    __table_args__ = (
        CheckConstraint(check_in("level", ApprovalLevel), name="level"),
        CheckConstraint("decision IN ('approved', 'refused')", name="decision"),
        UniqueConstraint("placement_id", "level", name="placement_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    level: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(10))
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    area_authority_consulted: Mapped[bool] = mapped_column(default=False)
    care_plan_sent: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)

    placement: Mapped[Placement] = relationship(back_populates="approvals")
    approver = relationship("User")


class Withholding(Base):
    """A reg 13(3) decision not to tell someone of a placement, with who decided and why."""

    __tablename__ = "withholdings"
    __table_args__ = (CheckConstraint(check_in("role", RecipientRole), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id"))
    role: Mapped[str] = mapped_column(String(30))
    # the person withheld, where the decision is about one of the child's people
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="withholdings")


class Contact(Base):
    """A named person or inbox: at an authority or health body, or around one child (GP,
    school, IRO, parent)."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint(check_in("role", RecipientRole), name="role"),
        CheckConstraint(
            "CAST(authority_code IS NOT NULL AS INTEGER)"
            " + CAST(health_body_code IS NOT NULL AS INTEGER)"
            " + CAST(child_id IS NOT NULL AS INTEGER) <= 1",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    authority_code: Mapped[str | None] = mapped_column(ForeignKey("authorities.code"))
    health_body_code: Mapped[str | None] = mapped_column(ForeignKey("health_bodies.code"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # A postal address, for the child's people (a parent may have no email).
    address_line_1: Mapped[str | None] = mapped_column(String(200))
    address_line_2: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(8))
    # A carer is the carer of one placement (for a home, its registered person).
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id"), index=True)
    # The child's people are kept when they change: from when, and until when.
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    # Reg 13(3): not to be told, because telling them would put the child at risk.
    withhold_reason: Mapped[str | None] = mapped_column(Text)
    withhold_decided_by: Mapped[str | None] = mapped_column(String(200))
    withhold_decided_on: Mapped[date | None]
    updated_at: Mapped[datetime | None]

    child: Mapped[Child | None] = relationship(back_populates="contacts")
    placement: Mapped[Placement | None] = relationship(foreign_keys=[placement_id])

    @property
    def withheld(self) -> bool:
        return self.withhold_reason is not None

    @property
    def has_postal_address(self) -> bool:
        return bool(self.address_line_1 and self.postcode)
