"""Sessions held in the database: the cookie carries only a random token.

Flask's own session is a signed cookie: readable by anyone who holds it (a half-finished move
with a carer's address in it), and valid until it expires whatever happens on the server. Here
the cookie is a random token; the `web_sessions` row found by its hash holds who is signed in
and the session's data. Ending the row (signing out, an administrator signing a person out
everywhere, the idle timeout, the absolute lifetime) ends the session at once, for every copy
of the cookie.

Written here rather than taken from Flask-Session: its SQLAlchemy backend creates its own table
at start-up outside the migrations (on every app, which this codebase builds several of), keeps
no user column (so "sign this person out everywhere" would mean decoding every row), has no
absolute lifetime, stores the id in clear, commits whatever the view left in the session, and
writes naive `utcnow()` timestamps.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, current_app, g, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import WebSession
from models.base import utcnow
from models.enums import SessionEnd
from notify.extensions import db
from notify.transaction import transaction

# last_seen_at moves on at most this often: not a write on every request.
LAST_SEEN_STEP = timedelta(minutes=1)
# A row nobody can use any more (ended, idle or expired) is deleted this long after its last use.
KEEP_ENDED = timedelta(days=1)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
# Kept across the new id at sign-in: only the messages to show, never a visitor's data.
_KEPT_AT_SIGN_IN = ("_flashes",)
_serializer = TaggedJSONSerializer()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Lifetime:
    idle: timedelta
    max: timedelta

    @classmethod
    def from_config(cls, config: Any) -> "Lifetime":
        return cls(
            idle=timedelta(minutes=config["NOTIFY_SESSION_IDLE_MINUTES"]),
            max=timedelta(hours=config["NOTIFY_SESSION_MAX_HOURS"]),
        )

    def lapsed(self, row: WebSession, now: datetime) -> SessionEnd | None:
        """Why `row` can no longer be used at `now`, if it cannot."""
        if now - row.created_at >= self.max:
            return SessionEnd.EXPIRED
        if now - row.last_seen_at >= self.idle:
            return SessionEnd.IDLE
        return None


class ServerSession(dict[str, Any], SessionMixin):
    """The session's data, loaded from its row and saved back to it. Which keys a request
    changed is tracked, so two tabs changing different keys do not undo each other."""

    def __init__(self, data: dict[str, Any] | None = None, row: WebSession | None = None) -> None:
        super().__init__(data or {})
        # the row is found again by its token's hash, never by its id: SQLite may give a
        # deleted row's id to a new one
        self.row_key = row.token_hash if row else None
        self.last_seen_at = row.last_seen_at if row else None
        self.changed: set[str] = set()
        self.modified = False
        self.new = row is None
        # a token that was presented but no longer works, and why
        self.presented = False
        self.lapsed_key: str | None = None
        self.lapsed: SessionEnd | None = None

    def _changed(self, key: str) -> None:
        self.changed.add(key)
        self.modified = True

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._changed(key)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._changed(key)

    def pop(self, key: str, *default: Any) -> Any:  # type: ignore[override]
        if key in self:
            self._changed(key)
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        key, value = super().popitem()
        self._changed(key)
        return key, value

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self._changed(key)
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def clear(self) -> None:
        for key in list(self):
            self._changed(key)
        super().clear()
        self.modified = True

    def detach(self) -> None:
        """Forget the row: what is left in the session is saved under a new token."""
        self.row_key = None
        self.last_seen_at = None
        self.new = True
        self.modified = True


class DatabaseSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        # Flask-Login keeps the person in `g`; a request inside an app context that outlives
        # it (the tests', a command calling the app) must find the person from its own
        # session, not one an earlier request left there.
        g.pop("_login_user", None)
        token = request.cookies.get(self.get_cookie_name(app))
        if not token:
            return ServerSession()
        row = None
        if _TOKEN.fullmatch(token):
            row = db.session.scalar(
                select(WebSession).where(WebSession.token_hash == token_hash(token))
            )
        if row is not None and row.ended_at is None:
            lapsed = Lifetime.from_config(app.config).lapsed(row, utcnow())
            if lapsed is None:
                return ServerSession(_serializer.loads(row.data) if row.data else {}, row)
        fresh = ServerSession()
        fresh.presented = True
        if row is not None and row.ended_at is None:
            fresh.lapsed_key, fresh.lapsed = row.token_hash, lapsed
        return fresh

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not isinstance(session, ServerSession):
            return
        now = utcnow()
        create = session.row_key is None and bool(session)
        update_data = session.row_key is not None and session.modified
        touch = (
            session.row_key is not None
            and session.last_seen_at is not None
            and now - session.last_seen_at >= LAST_SEEN_STEP
        )
        token = None
        if create or update_data or touch or session.lapsed_key:
            # The view's own work is committed by the view or not at all: whatever it left
            # uncommitted (a request that failed part-way) is dropped here, as the end of the
            # request would drop it, before the session's own small transaction.
            db.session.rollback()
            with transaction() as s:
                if session.lapsed_key and session.lapsed:
                    end_row(s, session.lapsed_key, session.lapsed, now)
                if create:
                    token = _insert(s, session, now)
                elif session.row_key is not None and (update_data or touch):
                    _write(s, session, now, update_data)
        cookie: dict[str, Any] = {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "httponly": self.get_cookie_httponly(app),
            "samesite": self.get_cookie_samesite(app),
            "partitioned": self.get_cookie_partitioned(app),
        }
        if token:
            response.set_cookie(self.get_cookie_name(app), token, **cookie)
        elif session.presented and session.row_key is None and not session:
            response.delete_cookie(self.get_cookie_name(app), **cookie)
        if session.presented or session.row_key is not None or token:
            response.vary.add("Cookie")


def _user_id(session: ServerSession) -> int | None:
    user_id = session.get("_user_id")
    return int(user_id) if isinstance(user_id, str) and user_id.isdigit() else None


def _insert(s: Session, session: ServerSession, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    lifetime = Lifetime.from_config(current_app.config)
    # rows nobody can use any more go as new ones come: the table holds live sessions
    s.execute(delete(WebSession).where(WebSession.last_seen_at < now - lifetime.idle - KEEP_ENDED))
    row = WebSession(
        token_hash=token_hash(token),
        user_id=_user_id(session),
        created_at=now,
        last_seen_at=now,
        data=_serializer.dumps(dict(session)),
    )
    s.add(row)
    s.flush()
    session.row_key, session.last_seen_at, session.new = row.token_hash, now, False
    return token


def _write(s: Session, session: ServerSession, now: datetime, with_data: bool) -> None:
    row = s.scalar(
        select(WebSession).where(WebSession.token_hash == session.row_key).with_for_update()
    )
    if row is None or row.ended_at is not None:
        return  # signed out by another request meanwhile: nothing comes back to life
    row.last_seen_at = now
    if with_data:
        stored = _serializer.loads(row.data) if row.data else {}
        if session.changed:
            for key in session.changed:
                if key in session:
                    stored[key] = session[key]
                else:
                    stored.pop(key, None)
        else:  # `modified` set by hand after changing a value in place: all of it
            stored = dict(session)
        row.data = _serializer.dumps(stored)
        row.user_id = _user_id(session)


def end_row(s: Session, key: str, reason: SessionEnd, now: datetime) -> None:
    """End one session and drop its data (a half-finished move goes with it)."""
    s.execute(
        update(WebSession)
        .where(WebSession.token_hash == key, WebSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason, data=None)
    )


def current_session() -> ServerSession | None:
    return session if isinstance(session, ServerSession) else None  # type: ignore[return-value]


def is_live() -> bool:
    """Whether this request came with a session row that is still in use."""
    current = current_session()
    return current is not None and current.row_key is not None


def end_current_session(s: Session, reason: SessionEnd) -> None:
    """End this browser's session (the caller commits): the cookie, and any copy of it, no
    longer signs anyone in; its data is dropped."""
    current = current_session()
    if current is None:
        return
    if current.row_key is not None:
        end_row(s, current.row_key, reason, utcnow())
    current.clear()
    current.detach()


def rotate_session(s: Session) -> None:
    """Carry on under a new token (at sign-in): a token planted or seen before signing in is
    worth nothing after it. Nothing of the visitor's data is kept but messages to show."""
    current = current_session()
    if current is None:
        return
    kept = {key: current[key] for key in _KEPT_AT_SIGN_IN if key in current}
    end_current_session(s, SessionEnd.ROTATED)
    current.update(kept)


def end_sessions_of(s: Session, user_id: int, reason: SessionEnd) -> int:
    """End every session of one person (the caller commits); how many were in use."""
    result = s.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason, data=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def lapsed_reason() -> SessionEnd | None:
    """Why the session this request came with stopped working, if it timed out."""
    current = current_session()
    return current.lapsed if current is not None else None
