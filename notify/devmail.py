"""A mail sink for running the service on one machine, and the "Sent mail" page that shows
what it kept (development only).

`python -m notify.devmail` accepts every message on 127.0.0.1:8025 and keeps each one as an
.eml file in instance/mail/ (DEV_MAIL_DIR). It relays nothing anywhere.
"""

import argparse
import asyncio
import itertools
import logging
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from math import ceil
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Blueprint, Flask, Response, abort, current_app, render_template, request

from notify.auth import roles_required
from notify.calendar import UK
from notify.config import INSTANCE

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
# Received time (UTC, to the microsecond) then a counter: names sort in the order received.
_NAME = re.compile(r"(\d{8}T\d{6}\.\d{6})Z-(\d{6,})")
_NAME_TIME = "%Y%m%dT%H%M%S.%f"
_URL = re.compile(r"https?://[^\s<>\"']+")


def default_mail_dir() -> str:
    return os.environ.get("DEV_MAIL_DIR") or str(INSTANCE / "mail")


# --- Keeping messages ---------------------------------------------------------------------


def keep_message(folder: Path, data: bytes, number: int, now: datetime | None = None) -> Path:
    """Write one received message to `folder` as `<UTC time>Z-<number>.eml`."""
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        path = folder / f"{now:{_NAME_TIME}}Z-{number:06d}.eml"
        if not path.exists():
            break
        number += 1
    # Written under a name the page ignores, then renamed: the page never reads half a message.
    partial = folder / f".{path.name}.partial"
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


class KeepingHandler:
    """aiosmtpd handler that keeps every message it accepts in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._numbers = itertools.count(1)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # The envelope says who the message was really for (Bcc included); keep it at the
        # top in the headers aiosmtpd's own handlers use.
        added = f"X-MailFrom: {envelope.mail_from}\r\nX-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n"
        path = keep_message(
            self.folder, added.encode() + (envelope.original_content or b""), next(self._numbers)
        )
        # Identifiers only: a message may hold a child's details.
        logger.info("Kept message %s", path.name, extra={"recipients": len(envelope.rcpt_tos)})
        return "250 Message accepted for delivery"


class _SinkController(Controller):
    def _trigger_server(self) -> None:
        # Port 0 asks the system for a free port; learn which before the start-up self-test.
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass(frozen=True)
class Sink:
    host: str
    port: int
    folder: Path


@contextmanager
def running_sink(folder: Path, host: str = "127.0.0.1", port: int = 8025) -> Iterator[Sink]:
    """Run the sink in a background thread while the block runs (port 0: any free port)."""
    folder.mkdir(parents=True, exist_ok=True)
    controller = _SinkController(
        KeepingHandler(folder),
        hostname=host,
        port=port,
        # A fixed name: the default looks up this machine's FQDN, which can stall offline.
        server_hostname="devmail.localhost",
        enable_SMTPUTF8=True,
    )
    controller.start()
    try:
        yield Sink(host, controller.port, folder)
    finally:
        controller.stop()


# --- Reading them back --------------------------------------------------------------------


@dataclass(frozen=True)
class MessageSummary:
    id: str
    received: datetime  # aware, UK time
    to: str
    subject: str


@dataclass(frozen=True)
class KeptMessage:
    id: str
    received: datetime  # aware, UK time
    subject: str
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    attachments: list[str]

    def header(self, name: str) -> str:
        return ", ".join(value for key, value in self.headers if key.lower() == name.lower())

    def text_pieces(self) -> list[tuple[str, bool]]:
        """The plain-text part as (piece, is_link) so web addresses can be followed."""
        return _split_links(self.text or "")


def _received(message_id: str) -> datetime:
    match = _NAME.fullmatch(message_id)
    assert match is not None
    return datetime.strptime(match[1], _NAME_TIME).replace(tzinfo=UTC).astimezone(UK)


def _sort_key(message_id: str) -> tuple[str, int]:
    match = _NAME.fullmatch(message_id)
    assert match is not None
    return match[1], int(match[2])


def message_ids(folder: Path) -> list[str]:
    """The kept messages, newest first."""
    if not folder.is_dir():
        return []
    ids = [p.stem for p in folder.glob("*.eml") if _NAME.fullmatch(p.stem)]
    return sorted(ids, key=_sort_key, reverse=True)


def _header(message: EmailMessage, name: str) -> str:
    try:
        values = message.get_all(name) or []
        return ", ".join(str(v) for v in values)
    except (ValueError, IndexError, TypeError):  # a header malformed beyond the parser's repair
        return "(unreadable)"


def summarise(folder: Path, message_id: str) -> MessageSummary | None:
    try:
        data = (folder / f"{message_id}.eml").read_bytes()
    except FileNotFoundError:  # removed since the folder was listed
        return None
    message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    assert isinstance(message, EmailMessage)
    return MessageSummary(
        id=message_id,
        received=_received(message_id),
        to=_header(message, "To") or _header(message, "X-RcptTo"),
        subject=_header(message, "Subject"),
    )


def read_message(folder: Path, message_id: str) -> KeptMessage | None:
    """One kept message, or None if there is no message by that id."""
    if not _NAME.fullmatch(message_id):
        return None
    try:
        data = (folder / f"{message_id}.eml").read_bytes()
    except FileNotFoundError:
        return None
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    headers = [(key, _header_value(value)) for key, value in message.items()]
    return KeptMessage(
        id=message_id,
        received=_received(message_id),
        subject=_header(message, "Subject"),
        headers=headers,
        text=_body(message, "plain"),
        html=_body(message, "html"),
        attachments=[
            part.get_filename() or part.get_content_type() for part in message.iter_attachments()
        ],
    )


def _header_value(value: Any) -> str:
    try:
        return str(value)
    except (ValueError, IndexError, TypeError):
        return "(unreadable)"


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return None
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset: show what we can
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else None


def _split_links(text: str) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _URL.finditer(text):
        url = match[0].rstrip(".,;:!?)")
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((url, True))
        position = match.start() + len(url)
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


# --- The "Sent mail" page -----------------------------------------------------------------

bp = Blueprint("devmail", __name__, url_prefix="/dev/sent-mail")

# The HTML part is someone else's markup: it may run nothing, fetch nothing, and be framed
# only by our own page, even if its address is opened directly.
HTML_PART_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)


@bp.url_value_preprocessor
def _development_only(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # Runs before the app's sign-in check, so outside development these pages do not exist
    # for anyone, signed in or not.
    if current_app.config["ENV_NAME"] != "development":
        abort(404)


def _folder() -> Path:
    return Path(current_app.config["DEV_MAIL_DIR"])


@bp.get("")
@roles_required("admin")
def sent_mail() -> Any:
    ids = message_ids(_folder())
    pages = max(1, ceil(len(ids) / PAGE_SIZE))
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= pages:
        abort(404)
    shown = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    messages = [s for s in (summarise(_folder(), i) for i in shown) if s is not None]
    return render_template(
        "views/devmail/list.html",
        messages=messages,
        total=len(ids),
        page=page,
        pages=pages,
        folder=_folder(),
    )


@bp.get("/<message_id>")
@roles_required("admin")
def show_message(message_id: str) -> Any:
    message = read_message(_folder(), message_id)
    if message is None:
        abort(404)
    return render_template("views/devmail/show.html", message=message)


@bp.get("/<message_id>/html")
@roles_required("admin")
def html_part(message_id: str) -> Any:
    message = read_message(_folder(), message_id)
    if message is None or message.html is None:
        abort(404)
    response = Response(message.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_PART_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # shown in a frame of our own page
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    from notify.pages import add_navigation

    app.config.setdefault("DEV_MAIL_DIR", default_mail_dir())
    app.register_blueprint(bp)
    if app.config["ENV_NAME"] == "development":
        add_navigation("Sent mail", "devmail.sent_mail", roles={"admin"})


# --- python -m notify.devmail -------------------------------------------------------------

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m notify.devmail",
        description="Accept every message over SMTP and keep it as an .eml file. Relays nothing.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("MAIL_PORT") or 8025))
    parser.add_argument("--folder", type=Path, default=Path(default_mail_dir()))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s devmail: %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-connection chatter

    # Blocked before the server thread starts (it inherits the mask), then awaited here: a
    # stop signal ends the wait instead of interrupting whatever happens to be running.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    with running_sink(args.folder, args.host, args.port) as sink:
        logger.info("Listening on %s:%s, keeping messages in %s", sink.host, sink.port, sink.folder)
        signal.sigwait(STOP_SIGNALS)
    logger.info("Stopped")


if __name__ == "__main__":
    main()
