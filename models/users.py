"""People who sign in, systems that call the API, and the audit trail of both."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import Role, SessionEnd, check_in


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(check_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_signed_in_at: Mapped[datetime | None]

    # Flask-Login's protocol, written out so models/ needs no Flask import.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)


class ApiClient(Base):
    """An API key of one authority, with scopes; only the key's hash is stored."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class AuditEvent(Base):
    """Who saw or changed what. Holds identifiers only, never a child's name or birth date."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    api_key_prefix: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[dict | None] = mapped_column(JSON)
    # where the request came from (the client's address as the proxy settings give it)
    remote_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    # every child the event concerns, to find "who saw this child" without reading `detail`
    children: Mapped[list["AuditChild"]] = relationship(cascade="all, delete-orphan")


class AuditChild(Base):
    """One child an audit event concerns (a record opened, a list that showed them)."""

    __tablename__ = "audit_children"

    audit_event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(primary_key=True, index=True)


class WebSession(Base):
    """One browser's session. The cookie carries only a random token; its hash, the person
    signed in and the session's data (a half-finished move, messages to show) live here, so
    ending the row ends the session at once, wherever a copy of the cookie is."""

    __tablename__ = "web_sessions"
    __table_args__ = (CheckConstraint(check_in("end_reason", SessionEnd), name="end_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(30))
    data: Mapped[str | None] = mapped_column(Text)  # Flask's tagged JSON, as the cookie held


class SignInThrottle(Base):
    """Failed sign-ins for one email address and the lock they led to. Keyed by a keyed hash
    of the address, whether or not an account has it, so a lock says nothing about which
    accounts exist."""

    __tablename__ = "sign_in_throttles"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
