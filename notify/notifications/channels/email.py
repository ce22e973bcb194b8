"""Email over SMTP, configured by the MAIL_* settings, with one connection kept open while a
batch is sent.

The settings keep Flask-Mail's names (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USE_SSL,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER) plus MAIL_TIMEOUT (seconds, default 30),
but not the library. The message is assembled here rather than by Flask-Mail: it sends UTF-8
bodies as 8bit without folding lines, so a long paragraph (a child's recorded risks) breaks
SMTP's 1,000-octet line limit and relays reject the message; it opens connections without
a timeout, so a relay that stops answering would hang the worker; and building a message
with it (or with the standard library's email generator) takes 0.6 to 2 ms, as long as a
relay takes to accept one. Here each body is quoted-printable (no line over 76 characters)
and the two parts are joined under a boundary that quoted-printable text cannot contain.
"""

import binascii
import re
import secrets
import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from types import TracebackType
from typing import Any

from notify.notifications.channels.base import OutgoingMessage, PermanentError, TransientError

DEFAULT_TIMEOUT = 30.0
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


class EmailChannel:
    """Sends each OutgoingMessage as one email with a plain-text and an HTML part."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.server: str = config.get("MAIL_SERVER") or "127.0.0.1"
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_tls = bool(config.get("MAIL_USE_TLS", False))
        self.use_ssl = bool(config.get("MAIL_USE_SSL", False))
        self.username: str | None = config.get("MAIL_USERNAME")
        self.password: str | None = config.get("MAIL_PASSWORD")
        self.sender: str = config["MAIL_DEFAULT_SENDER"]
        name, address = parseaddr(self.sender)
        self._envelope_from = address
        self._from = formataddr((name, address), charset="utf-8")
        self.timeout = float(config.get("MAIL_TIMEOUT") or DEFAULT_TIMEOUT)
        self._smtp: smtplib.SMTP | None = None
        self._in_data = False  # a message started and not yet finished

    def __enter__(self) -> "EmailChannel":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, message: OutgoingMessage) -> None:
        """Hand the message to the relay, or raise TransientError / PermanentError."""
        self.start(message)()

    def start(self, message: OutgoingMessage) -> Callable[[], None]:
        """Send the envelope and the message's data but not the line that ends it; the call
        returned sends that line, and the relay accepts the message (or refuses it) only
        then. So a worker can start the next message while it records the last one's
        outcome: if it dies in between, the relay drops the unfinished message."""
        data = _dot_stuffed(self.build(message))
        if self._in_data:
            self.close()  # one started and never finished (its outcome could not be recorded)
        try:
            try:
                smtp = self._connection()
                self._begin(smtp, message.to, data)
            except smtplib.SMTPServerDisconnected:
                # A relay may drop a connection left idle: one fresh try before giving up.
                self.close()
                smtp = self._connection()
                self._begin(smtp, message.to, data)
        except Exception as exc:
            self.close()
            raise classify(exc) from exc

        def finish() -> None:
            try:
                smtp.send(b".\r\n")
                code, reply = smtp.getreply()
                if code != 250:
                    raise smtplib.SMTPDataError(code, reply)
            except Exception as exc:
                self.close()
                raise classify(exc) from exc
            finally:
                self._in_data = False

        return finish

    def _begin(self, smtp: smtplib.SMTP, to: str, data: bytes) -> None:
        """What `smtplib.SMTP.sendmail` does for one recipient, up to the end of the data."""
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(self._envelope_from)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, reply, self._envelope_from)
        code, reply = smtp.rcpt(to)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
        smtp.putcmd("data")
        code, reply = smtp.getreply()
        if code != 354:
            smtp.rset()
            raise smtplib.SMTPDataError(code, reply)
        self._in_data = True
        smtp.send(data)

    def build(self, message: OutgoingMessage) -> bytes:
        """The message as it goes on the wire, carrying the notification's stable Message-ID."""
        for value in (message.to, message.subject, message.message_id, message.reference):
            if "\r" in value or "\n" in value:
                # would let a stored value add headers of its own
                raise PermanentError("A line break in the address, subject or reference")
        if not message.to.isascii():
            raise PermanentError(f"{message.to!r} is not an address every mail relay accepts")
        # "=_" never occurs in quoted-printable text (it writes "=" as "=3D")
        boundary = f"=_{secrets.token_hex(16)}"
        head = (
            f"Subject: {_header('Subject', message.subject)}\r\n"
            f"From: {self._from}\r\n"
            f"To: {message.to}\r\n"
            f"Date: {formatdate(localtime=True)}\r\n"
            f"Message-ID: {message.message_id}\r\n"
            # RFC 3834: tells auto-responders (out of office) not to reply
            "Auto-Submitted: auto-generated\r\n"
            f"X-Placement-Notify-Reference: {message.reference}\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"\r\n'
        )
        parts = [head.encode("ascii")]
        for subtype, content in (("plain", message.text), ("html", message.html)):
            parts.append(
                f"\r\n--{boundary}\r\n"
                f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n".encode("ascii")
            )
            parts.append(binascii.b2a_qp(content.encode("utf-8")).replace(b"\n", b"\r\n"))
        parts.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
        return b"".join(parts)

    def close(self) -> None:
        """End the SMTP session, if one is open."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        if self._in_data:
            # QUIT now would be taken as part of the message: drop the connection instead,
            # and the relay discards the unfinished message.
            self._in_data = False
            smtp.close()
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp: smtplib.SMTP
            if self.use_ssl:
                smtp = smtplib.SMTP_SSL(
                    self.server,
                    self.port,
                    timeout=self.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(self.server, self.port, timeout=self.timeout)
            try:
                # The line ending a message's data goes on its own, after the data: with
                # Nagle's algorithm it would wait for the relay's delayed ACK (~40 ms).
                assert smtp.sock is not None  # connected by the constructor
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if self.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username and self.password:
                    smtp.login(self.username, self.password)
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp


def _dot_stuffed(data: bytes) -> bytes:
    """RFC 5321 4.5.2: a line of the data starting with a dot gets another."""
    return _LEADING_DOT.sub(b"..", data)


def _header(name: str, value: str) -> str:
    """The value folded to SMTP's line length, and encoded (RFC 2047) if not ASCII."""
    if value.isascii() and len(name) + len(value) < 76:
        return value
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=name).encode(linesep="\r\n")


def classify(exc: BaseException) -> TransientError | PermanentError:
    """Transient: the relay cannot be reached or answers 4xx; permanent: it answers 5xx about
    this message (unknown mailbox, refused content)."""
    if isinstance(exc, TransientError | PermanentError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # one recipient per message: its (code, reply) decides
        code, reply = next(iter(exc.recipients.values()), (0, b""))
        return _by_code(code, reply, exc)
    if isinstance(
        exc,
        smtplib.SMTPAuthenticationError
        | smtplib.SMTPConnectError
        | smtplib.SMTPHeloError
        | smtplib.SMTPSenderRefused,
    ):
        # Our credentials, greeting or sender address: a fault of the relay's set-up, not of
        # this notification, so every notification waits (and retries) until it is fixed.
        return TransientError(_describe(exc))
    if isinstance(exc, smtplib.SMTPResponseException):
        return _by_code(exc.smtp_code, exc.smtp_error, exc)
    # refused, reset, timed out, disconnected, name not resolved, TLS failures
    return TransientError(_describe(exc))


def _by_code(code: int, reply: bytes | str, exc: BaseException) -> TransientError | PermanentError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    detail = f"SMTP {code} {text}".strip()
    if 500 <= code < 600:
        return PermanentError(detail)
    return TransientError(detail if code else _describe(exc))


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
