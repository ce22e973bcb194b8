"""Notices other authorities send us about children they place in our area."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import NOTICE_TYPES, InboundStatus, check_in


class InboundNotice(Base):
    """One notice as another authority posted it: the body exactly as received, what it
    parsed to, and what business support decided. A reference is unique per authority."""

    __tablename__ = "inbound_notices"
    __table_args__ = (
        UniqueConstraint("placing_authority_code", "reference"),
        CheckConstraint(
            f"notice_type IN ({', '.join(repr(t.value) for t in NOTICE_TYPES)})",
            name="notice_type",
        ),
        CheckConstraint(check_in("status", InboundStatus), name="status"),
        Index("ix_inbound_notices_status_received_at", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100))
    placing_authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    notice_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=InboundStatus.RECEIVED)
    raw_body: Mapped[str] = mapped_column(Text)  # as received, byte for byte (UTF-8)
    # SHA-256 of the parsed body in canonical form: a retry with the same body is the same
    # notice, whatever its whitespace or key order; a different body under the same
    # reference is a conflict.
    body_digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the business support officer who has taken the notice on ("assigned to me")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # the reason for a rejection, or what a query asked for: the placing authority reads it
    decision_note: Mapped[str | None] = mapped_column(Text)
    # set on acceptance: the hosted child and placement it created or updated
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id"), index=True)
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id"))

    placing_authority = relationship("Authority")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])
    child = relationship("Child")
    placement = relationship("Placement")
