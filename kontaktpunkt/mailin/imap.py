"""The mailbox over IMAP (imaplib): list the mails not yet processed, fetch one, mark it processed.

Connections: implicit TLS (`tls`, port 993), STARTTLS (`starttls`, port 143; refused if the server
does not offer it, never a silent downgrade) or plain (`plain`, for tests on 127.0.0.1 only). The
certificate is verified against the system's CAs.

A processed mail gets the keyword `settings.KP_IMAP_PROCESSED_FLAG` (and \\Seen); with
`KP_IMAP_PROCESSED_FOLDER` set it is moved there as well (MOVE, or COPY and \\Deleted on servers
without MOVE; nothing is expunged but our own mail). Mails are read with BODY.PEEK, so a mail that
could not be processed stays unread for the people who also look into the mailbox.
"""

from __future__ import annotations

import base64
import imaplib
import logging
import re
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from ipaddress import ip_address

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)

DEFAULT_FLAG = "$KontaktpunktImported"
_KEYWORD = re.compile(r"^\$?[A-Za-z0-9_.\-]{1,64}$")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_INTERNALDATE = re.compile(
    rb'INTERNALDATE "\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})"'
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


class Security(StrEnum):
    TLS = "tls"
    STARTTLS = "starttls"
    PLAIN = "plain"


class ImapError(Exception):
    """The server refused a command or answered something we cannot read."""


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    security: Security = Security.TLS
    mailbox: str = "INBOX"
    processed_flag: str = DEFAULT_FLAG
    processed_folder: str = ""  # empty: processed mails stay where they are, flagged
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not _KEYWORD.match(self.processed_flag):
            raise ImproperlyConfigured(
                f"KP_IMAP_PROCESSED_FLAG must be an IMAP keyword such as {DEFAULT_FLAG}, "
                f"not {self.processed_flag!r}"
            )


def imap_config() -> ImapConfig | None:
    """The mailbox of settings.KP_IMAP_*; None when KP_IMAP_HOST is empty (e-mail intake is off)."""
    host = settings.KP_IMAP_HOST.strip()
    if not host:
        return None
    try:
        security = Security(settings.KP_IMAP_SECURITY.strip().lower())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"KP_IMAP_SECURITY must be tls, starttls or plain, not {settings.KP_IMAP_SECURITY!r}"
        ) from exc
    if security is Security.PLAIN and not _loopback(host):
        log.warning("KP_IMAP_SECURITY=plain sends the mailbox password unencrypted to %s", host)
    return ImapConfig(
        host=host,
        port=int(settings.KP_IMAP_PORT),
        user=settings.KP_IMAP_USER,
        password=settings.KP_IMAP_PASSWORD,
        security=security,
        mailbox=settings.KP_IMAP_MAILBOX or "INBOX",
        processed_flag=settings.KP_IMAP_PROCESSED_FLAG or DEFAULT_FLAG,
        processed_folder=settings.KP_IMAP_PROCESSED_FOLDER,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class FetchedMail:
    uid: int
    raw: bytes
    size: int
    received_at: datetime | None  # when the server received it (INTERNALDATE)
    complete: bool  # False: larger than allowed, only the header was fetched


class Mailbox:
    """One selected mailbox on a logged-in connection (see `mailbox_open`)."""

    def __init__(self, connection: imaplib.IMAP4, config: ImapConfig) -> None:
        self.connection = connection
        self.config = config
        self.capabilities = _capabilities(connection)

    def unprocessed(self, *, limit: int | None = None) -> list[int]:
        """UIDs of the mails not yet processed, oldest first (at most `limit`)."""
        if self.config.processed_folder:
            criteria: tuple[str, ...] = ("NOT", "DELETED")
        else:
            criteria = ("UNKEYWORD", self.config.processed_flag, "NOT", "DELETED")
        data = _ok(self.connection.uid("SEARCH", *criteria), "SEARCH")
        found = b" ".join(item for item in data if isinstance(item, bytes))
        return sorted(int(uid) for uid in found.split())[:limit]

    def fetch(self, uid: int, *, max_bytes: int) -> FetchedMail | None:
        """The mail with `uid` (None if it is gone); above `max_bytes` only its header."""
        meta = _ok(
            self.connection.uid("FETCH", str(uid), "(UID RFC822.SIZE INTERNALDATE)"), "FETCH"
        )
        line = _response_for(meta, uid)
        if line is None:
            return None
        size_match = _SIZE.search(line)
        size = int(size_match.group(1)) if size_match else 0
        complete = size <= max_bytes
        section = "BODY.PEEK[]" if complete else "BODY.PEEK[HEADER]"
        data = _ok(self.connection.uid("FETCH", str(uid), f"(UID {section})"), "FETCH")
        raw = _literal_for(data, uid)
        if raw is None:
            return None
        return FetchedMail(
            uid=uid,
            raw=raw,
            size=size or len(raw),
            received_at=internaldate(line),
            complete=complete,
        )

    def mark_processed(self, uid: int) -> None:
        """Flag the mail as processed (and seen); with a processed folder, move it there too."""
        flags = f"(\\Seen {self.config.processed_flag})"
        _ok(self.connection.uid("STORE", str(uid), "+FLAGS.SILENT", flags), "STORE")
        folder = self.config.processed_folder
        if not folder:
            return
        target = mailbox_name(folder)
        if "MOVE" in self.capabilities:
            _ok(self.connection.uid("MOVE", str(uid), target), "MOVE")
            return
        _ok(self.connection.uid("COPY", str(uid), target), "COPY")
        _ok(self.connection.uid("STORE", str(uid), "+FLAGS.SILENT", "(\\Deleted)"), "STORE")
        if "UIDPLUS" in self.capabilities:
            _ok(self.connection.uid("EXPUNGE", str(uid)), "EXPUNGE")


@contextmanager
def mailbox_open(config: ImapConfig) -> Iterator[Mailbox]:
    """Connect, log in, create the processed folder if needed, select the mailbox; log out after."""
    connection = _connect(config)
    try:
        _login(connection, config)
        mailbox = Mailbox(connection, config)
        if config.processed_folder:
            _folder_ensure(connection, config.processed_folder)
        _ok(connection.select(mailbox_name(config.mailbox)), "SELECT")
        if not config.processed_folder:
            _keywords_check(connection, config.processed_flag)
        yield mailbox
    finally:
        _logout(connection)


def _connect(config: ImapConfig) -> imaplib.IMAP4:
    """An open connection; network and certificate errors raise OSError (ssl.SSLError)."""
    context = config.ssl_context or ssl.create_default_context()
    try:
        if config.security is Security.TLS:
            return imaplib.IMAP4_SSL(
                config.host, config.port, ssl_context=context, timeout=config.timeout
            )
        connection = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
    except imaplib.IMAP4.error as exc:
        raise ImapError(f"connecting to {config.host}:{config.port} failed: {exc}") from exc
    if config.security is Security.STARTTLS:
        try:
            connection.starttls(ssl_context=context)
        except imaplib.IMAP4.error as exc:
            _logout(connection)
            raise ImapError(f"STARTTLS with {config.host}:{config.port} failed: {exc}") from exc
        except OSError:
            _logout(connection)
            raise
    return connection


def _login(connection: imaplib.IMAP4, config: ImapConfig) -> None:
    credentials = f"\0{config.user}\0{config.password}"
    try:
        if credentials.isascii():
            connection.login(config.user, config.password)
        else:  # LOGIN is ASCII only; SASL PLAIN carries UTF-8
            connection.authenticate("PLAIN", lambda _challenge: credentials.encode("utf-8"))
    except imaplib.IMAP4.error as exc:
        raise ImapError(f"login as {config.user!r} refused: {exc}") from exc


def _logout(connection: imaplib.IMAP4) -> None:
    try:
        connection.logout()
    except (imaplib.IMAP4.error, OSError):
        log.debug("IMAP logout failed", exc_info=True)


def _capabilities(connection: imaplib.IMAP4) -> frozenset[str]:
    """The capabilities after login (the server may name more than in its greeting)."""
    data = _ok(connection.capability(), "CAPABILITY")
    words = b" ".join(item for item in data if isinstance(item, bytes)).decode("ascii", "replace")
    return frozenset(word.upper() for word in words.split())


def _keywords_check(connection: imaplib.IMAP4, flag: str) -> None:
    """Refuse a mailbox that cannot keep our keyword: every round would take all mails again."""
    _, data = connection.response("PERMANENTFLAGS")
    allowed = _text([item for item in data if item is not None])
    if allowed and "\\*" not in allowed and flag not in allowed:
        raise ImapError(
            f"the mailbox does not keep the keyword {flag} (PERMANENTFLAGS {allowed}); "
            "set KP_IMAP_PROCESSED_FOLDER instead"
        )


def _folder_ensure(connection: imaplib.IMAP4, folder: str) -> None:
    name = mailbox_name(folder)
    status, data = connection.create(name)
    if status != "OK" and not _says(data, "ALREADYEXISTS", "already exists"):
        raise ImapError(f"CREATE {folder!r} refused: {_text(data)}")


def _ok(response: tuple[str, Sequence[object]], command: str) -> list[object]:
    status, data = response
    if status != "OK":
        raise ImapError(f"{command} refused: {_text(data)}")
    return list(data)


def _says(data: Sequence[object], *phrases: str) -> bool:
    text = _text(data).lower()
    return any(phrase.lower() in text for phrase in phrases)


def _text(data: Sequence[object]) -> str:
    return " ".join(
        item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item) for item in data
    )


def _response_for(data: list[object], uid: int) -> bytes | None:
    """The FETCH response line for `uid` (unsolicited responses for other mails may come along)."""
    marker = re.compile(rb"\bUID %d\b" % uid)
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        if isinstance(line, bytes) and marker.search(line):
            return line
    return None


def _literal_for(data: list[object], uid: int) -> bytes | None:
    marker = re.compile(rb"\bUID %d\b" % uid)
    for item in data:
        if (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], bytes)
            and isinstance(item[1], bytes)
            and b"BODY[" in item[0]
            and (marker.search(item[0]) or b"UID" not in item[0])
        ):
            return item[1]
    return None


def internaldate(line: bytes) -> datetime | None:
    """The INTERNALDATE of a FETCH response as an aware datetime (month names in English always)."""
    match = _INTERNALDATE.search(line)
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
    month_number = _MONTHS.get(month.decode().lower())
    if month_number is None:
        return None
    offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == b"-" else 1)
    return datetime(
        int(year),
        month_number,
        int(day),
        int(hour),
        int(minute),
        int(second),
        tzinfo=timezone(offset),
    )


def mailbox_name(name: str) -> str:
    """A mailbox name for an IMAP command: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    encoded = _utf7_modified(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _utf7_modified(name: str) -> str:
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append(
                "&" + base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ",") + "-"
            )
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)
