"""Extracts from the council's case-management system, and the changes each one applied."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import ChangeKind, ImportStatus, check_in


class CaseSystemImport(Base):
    """One extract: its change report (kept as read), who confirmed it, and what it did."""

    __tablename__ = "case_system_imports"
    __table_args__ = (CheckConstraint(check_in("status", ImportStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(500))  # the file names, for people
    status: Mapped[str] = mapped_column(String(30))
    # {"changes": [...], "problems": [...], "already_applied": n, "counts": {...}}
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]
    # {"applied": n, "skipped": [...], "notifications": n, "late": n}
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    created_by = relationship("User", foreign_keys=[created_by_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])


class CaseSystemChange(Base):
    """A change applied from an extract, by its stable key: the same change in a later or
    overlapping extract is recognised and applied (and notified) only once."""

    __tablename__ = "case_system_changes"
    __table_args__ = (CheckConstraint(check_in("kind", ChangeKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("case_system_imports.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
