"""Reading one e-mail: sender, subject, text, attachments, thread headers, and whether it is automatic.

Pure: the raw message in, a `ParsedMail` out; no database, no settings (the caller passes its own
addresses). Robust against what arrives in a public mailbox: undeclared or unknown character sets,
8-bit headers, broken MIME, HTML-only mail. A mail is *ignored* (never a concern, never a note) when it
is automatic — an auto-reply or vacation notice (RFC 3834 `Auto-Submitted`, `X-Autoreply`,
`X-Autorespond`, `Precedence: auto_reply`, an Outlook-style subject), a delivery report (DSN,
`multipart/report`, an empty `Return-Path`, `MAILER-DAEMON`), bulk or list mail (`Precedence`,
`List-Id`), marked as spam upstream (`X-Spam-Flag`) — or one of our own mails coming back (our
address as sender, our `X-Kontaktpunkt-Reference` header): answering any of those could start a loop.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from kontaktpunkt.mailin.models import IgnoreReason

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 50_000
MAX_THREAD_IDS = 50
MAX_MIME_DEPTH = 10
MAX_KEY_LENGTH = 255
REFERENCE_HEADER = "X-Kontaktpunkt-Reference"

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_ANGLE_ADDRESS = re.compile(r"^([^<>]*)<([^<>\s]+)>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")
# Subjects of auto-replies that carry no RFC 3834 header (older Outlook and Exchange versions).
_AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(automatische antwort|automatic reply|out of office|abwesenheitsnotiz|auto-?reply)\s*:",
    re.IGNORECASE,
)
_NO = frozenset({"no", "false", "0"})


@dataclass(frozen=True)
class MailAttachment:
    name: str  # the file name the sender gave, or "" when none
    content_type: str  # as declared; the upload rules look at the content, not at this
    data: bytes

    @property
    def label(self) -> str:
        """How to name the attachment to a person: its file name, else its declared type."""
        return self.name or self.content_type


@dataclass(frozen=True)
class ParsedMail:
    key: str  # the Message-ID, or sha256:<digest> when the mail has no usable one
    message_id: str
    sender_address: str  # where to answer: Reply-To when given, else From; "" when unusable
    sender_name: str
    from_address: str  # the From address itself (loop and bounce checks look at it)
    subject: str
    text: str
    attachments: tuple[MailAttachment, ...] = ()
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    sent_at: datetime | None = None
    ignore_reason: IgnoreReason | None = None
    ignore_detail: str = ""
    complete: bool = True  # False: only the header was read (the mail was too large)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-IDs this mail answers, the most direct first."""
        return (*self.in_reply_to, *reversed(self.references))


@dataclass
class _Body:
    texts: list[str] = field(default_factory=list)
    attachments: list[MailAttachment] = field(default_factory=list)


def mail_parse(raw: bytes, *, own_addresses: Collection[str], complete: bool = True) -> ParsedMail:
    """Read a raw RFC 5322 message; `own_addresses` (lower case) are ours, for loop detection."""
    message = message_from_bytes(raw, policy=policy.default)
    message_id = _first_id(_header(message, "Message-ID"))
    from_name, from_address = _address(message, "From")
    reply_name, reply_address = _address(message, "Reply-To")
    subject = _header(message, "Subject")
    body = _Body()
    if complete:
        _walk(message, body, depth=0)
    ignored = _ignore_reason(message, from_address, subject, own_addresses)
    return ParsedMail(
        key=_key(message_id, raw),
        message_id=message_id,
        sender_address=reply_address or from_address,
        sender_name=(reply_name if reply_address else "") or from_name,
        from_address=from_address,
        subject=subject,
        text=text_tidy("\n\n".join(text for text in body.texts if text.strip())),
        attachments=tuple(body.attachments),
        in_reply_to=tuple(_ids(_header(message, "In-Reply-To"))),
        references=tuple(_ids(_header(message, "References"))),
        sent_at=_date(_header(message, "Date")),
        ignore_reason=ignored[0] if ignored else None,
        ignore_detail=ignored[1] if ignored else "",
        complete=complete,
    )


# --------------------------------------------------------------------------- headers


def _header(message: Message, name: str) -> str:
    """A header's decoded value on one line (RFC 2047 words decoded), or "" when it is missing.

    Undeclared 8-bit bytes (against the standard, but common) are read as UTF-8 or Windows-1252.
    """
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), None)
    if raw is None:
        return ""
    if _has_raw_bytes(raw):
        return clean(" ".join(raw.split()))
    try:
        text = str(message.get(name))
    except Exception:  # a header the parser cannot read: decoded, but otherwise as it came
        text = _header_raw(message, name)
    return clean(" ".join(text.split()))


def _has_raw_bytes(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


def _address(message: Message, name: str) -> tuple[str, str]:
    """(display name, address) of the first address in a header; the address lower-cased.

    The email package's parser first; for a header it cannot read, the `Name <address>` form
    found in the raw header (the address kept as it is, for the caller to validate). A name
    without address is kept too.
    """
    candidates: list[tuple[str, str]] = []
    try:
        header = message.get(name)
        candidates += [(a.display_name, a.addr_spec) for a in getattr(header, "addresses", ())]
    except Exception:  # unparseable for the strict parser
        log.debug("header %s unparseable", name, exc_info=True)
    raw = _header_raw(message, name)
    found = _ANGLE_ADDRESS.search(raw)
    if found:
        candidates.append((found.group(1).strip().strip('"'), found.group(2)))
    for display_name, address in candidates:
        address = clean(address).strip().lower()
        if "@" in address and " " not in address:
            return clean(display_name).strip(), address
    names = [clean(display_name).strip() for display_name, _ in candidates]
    return next((name for name in names if name), ""), ""


def _header_raw(message: Message, name: str) -> str:
    """A header as it came, unfolded, with its RFC 2047 words decoded but not parsed further."""
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    raw = " ".join(raw.split())
    if _has_raw_bytes(raw):
        return clean(raw)
    try:
        return str(make_header(decode_header(raw)))
    except Exception:  # a broken encoded word: as it came
        return raw


def _ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value)[:MAX_THREAD_IDS]


def _first_id(value: str) -> str:
    found = _MESSAGE_ID.findall(value)
    return found[0] if found else "".join(value.split())


def _key(message_id: str, raw: bytes) -> str:
    if message_id and len(message_id) <= MAX_KEY_LENGTH:
        return message_id
    source = message_id.encode("utf-8", "surrogateescape") if message_id else raw
    return "sha256:" + hashlib.sha256(source).hexdigest()


def _date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def clean(text: str) -> str:
    """Text safe to store: undecodable bytes (8-bit headers) read as UTF-8 or Latin-1, no NULs."""
    if _has_raw_bytes(text):
        data = text.encode("utf-8", "surrogateescape")
        text = _decode(data, "utf-8")
    return text.replace("\x00", "")


# --------------------------------------------------------------------------- automatic mail


def _ignore_reason(
    message: Message, sender: str, subject: str, own_addresses: Collection[str]
) -> tuple[IgnoreReason, str] | None:
    """Why this mail must create nothing (and be answered by nothing), or None for a person's mail."""
    for check in (_loop, _bounce, _auto_reply, _bulk):
        found = check(message, sender, subject, own_addresses)
        if found is not None:
            return found
    return None


def _loop(
    message: Message, sender: str, subject: str, own: Collection[str]
) -> tuple[IgnoreReason, str] | None:
    if _header(message, REFERENCE_HEADER):
        return IgnoreReason.LOOP, REFERENCE_HEADER
    if sender and sender in own:
        return IgnoreReason.LOOP, "From: own address"
    return None


def _bounce(
    message: Message, sender: str, subject: str, own: Collection[str]
) -> tuple[IgnoreReason, str] | None:
    content_type = message.get_content_type()
    if content_type == "multipart/report":
        kind = str(message.get_param("report-type", "") or "")
        return IgnoreReason.BOUNCE, f"Content-Type: multipart/report; report-type={kind}"[:200]
    if content_type in {"message/delivery-status", "message/disposition-notification"}:
        return IgnoreReason.BOUNCE, f"Content-Type: {content_type}"
    return_path = _header(message, "Return-Path")
    if return_path and not return_path.strip("<> "):
        return IgnoreReason.BOUNCE, "Return-Path: <>"
    if sender.partition("@")[0] == "mailer-daemon":
        return IgnoreReason.BOUNCE, "From: MAILER-DAEMON"
    return None


def _auto_reply(
    message: Message, sender: str, subject: str, own: Collection[str]
) -> tuple[IgnoreReason, str] | None:
    submitted = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return IgnoreReason.AUTO_REPLY, f"Auto-Submitted: {submitted}"[:200]
    for name in ("X-Autoreply", "X-Autorespond"):
        if name in message and _header(message, name).lower() not in _NO:
            return IgnoreReason.AUTO_REPLY, name
    if _header(message, "Precedence").lower() == "auto_reply":
        return IgnoreReason.AUTO_REPLY, "Precedence: auto_reply"
    if _AUTO_REPLY_SUBJECT.match(subject):
        return IgnoreReason.AUTO_REPLY, "Subject"
    return None


def _bulk(
    message: Message, sender: str, subject: str, own: Collection[str]
) -> tuple[IgnoreReason, str] | None:
    precedence = _header(message, "Precedence").lower()
    if precedence in {"bulk", "junk", "list"}:
        return IgnoreReason.BULK, f"Precedence: {precedence}"
    if _header(message, "List-Id"):
        return IgnoreReason.BULK, "List-Id"
    if _header(message, "X-Spam-Flag").lower().startswith("yes"):
        return IgnoreReason.SPAM, "X-Spam-Flag: YES"
    return None


# --------------------------------------------------------------------------- body


def _walk(part: Message, body: _Body, *, depth: int, attachments_only: bool = False) -> None:
    """Collect the text parts and attachments of `part`, in order.

    Of a multipart/alternative only the best version's text is taken (plain before HTML), but the
    images of every version are kept (a photo pasted into an HTML mail sits beside the HTML).
    A forwarded mail (message/rfc822) is an attachment, not text.
    """
    if depth > MAX_MIME_DEPTH:
        return
    if part.get_content_maintype() == "multipart":
        children = _children(part)
        best = _best_alternative(children) if part.get_content_subtype() == "alternative" else None
        for child in children:
            only = attachments_only or (best is not None and child is not best)
            _walk(child, body, depth=depth + 1, attachments_only=only)
        return
    if _is_text(part):
        if not attachments_only:
            body.texts.append(_text_of(part))
        return
    attachment = _attachment(part)
    if attachment is not None:
        body.attachments.append(attachment)


def _children(part: Message) -> list[Message]:
    payload = part.get_payload()
    return (
        [child for child in payload if isinstance(child, Message)]
        if isinstance(payload, list)
        else []
    )


def _is_text(part: Message) -> bool:
    return (
        part.get_content_type() in {"text/plain", "text/html"}
        and part.get_content_disposition() != "attachment"
    )


def _best_alternative(children: list[Message]) -> Message | None:
    for wanted in ("text/plain", "text/html"):
        for child in children:
            if child.get_content_type() == wanted and _is_text(child) and _text_of(child).strip():
                return child
    multipart = [child for child in children if child.get_content_maintype() == "multipart"]
    return multipart[-1] if multipart else (children[-1] if children else None)


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = _decode(payload, part.get_content_charset() or "us-ascii")
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def _decode(data: bytes, charset: str) -> str:
    """Bytes as text in the declared charset; an unknown or wrong one falls back to UTF-8, CP1252."""
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _attachment(part: Message) -> MailAttachment | None:
    try:
        name = clean(part.get_filename() or "")
    except Exception:  # a broken RFC 2231 parameter: the content still counts
        name = ""
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        data = first.as_bytes(policy=policy.SMTP) if isinstance(first, Message) else b""
    else:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
    if not data and not name:
        return None
    return MailAttachment(
        name=" ".join(name.split()), content_type=part.get_content_type(), data=data
    )


def text_tidy(text: str) -> str:
    """Line ends unified, control characters and trailing blanks removed, blank runs shortened."""
    text = _CONTROL.sub("", clean(text).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS].rstrip() + " […]"
    return text


# --------------------------------------------------------------------------- HTML


class _HtmlText(HTMLParser):
    BLOCK = frozenset(
        {
            *("address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset"),
            *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
            *("header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul"),
        }
    )
    SKIP = frozenset({"head", "script", "style", "template", "title", "svg", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "br":
            self.chunks.append("\n")
        elif tag == "li":
            self.chunks.append("\n- ")
        elif tag in {"td", "th"}:
            self.chunks.append(" ")
        elif tag in self.BLOCK:
            self.chunks.append("\n\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.chunks)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.chunks.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.chunks[start:])
            if href.startswith(("http://", "https://")) and href not in shown:
                self.chunks.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.chunks).split("\n"))
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML mail: paragraphs, line breaks, list items, link targets."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser.text()


# --------------------------------------------------------------------------- threads and replies


def reference_pattern(prefix: str) -> re.Pattern[str]:
    """Our references (`KP-2026-000123`) for `prefix`, not glued to other letters or digits."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(prefix)}-\d{{4}}-\d{{6,}}(?!\d)")


def references_in_thread(mail: ParsedMail, *, domain: str, pattern: re.Pattern[str]) -> list[str]:
    """References named by Message-IDs of our `domain` that the mail answers, the most direct first.

    Our outgoing mails carry a Message-ID made from their key, which contains the reference
    (core.mail.mail_message_id); replies quote it in In-Reply-To and References.
    """
    found: list[str] = []
    for message_id in mail.thread_ids:
        local, _, host = message_id.strip("<>").rpartition("@")
        if host.lower() != domain.lower():
            continue
        for match in pattern.finditer(local):
            if match.group(0) not in found:
                found.append(match.group(0))
    return found


def references_in_text(text: str, *, pattern: re.Pattern[str]) -> list[str]:
    return list(dict.fromkeys(match.group(0) for match in pattern.finditer(text)))


_ATTRIBUTION_START = re.compile(r"^(am|on)\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^(am|on)\b.{0,300}\b(schrieb|wrote)\b.{0,300}:$", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^-{2,}\s*(ursprüngliche nachricht|original message|weitergeleitete nachricht|"
    r"forwarded message)\s*-{2,}$|^_{10,}$",
    re.IGNORECASE,
)


def reply_text(text: str) -> str:
    """The new part of a reply: without the quoted mail below it.

    Cut at a separator ("-----Ursprüngliche Nachricht-----", Outlook's underscore line) or at an
    attribution line ("Am … schrieb …:", "On … wrote:", also wrapped over two lines) that quoted
    lines ("> …") follow; trailing quoted lines go too. Returns the whole text when nothing would
    be left.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line.strip()) or _attribution_at(lines, index):
            lines = lines[:index]
            break
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    new = text_tidy("\n".join(lines))
    return new or text_tidy(text)


def _attribution_at(lines: list[str], index: int) -> bool:
    if not _ATTRIBUTION_START.match(lines[index].strip()):
        return False
    for width in (1, 2):  # the attribution alone, or wrapped onto a second line
        attribution = " ".join(entry.strip() for entry in lines[index : index + width])
        following = next((entry.strip() for entry in lines[index + width :] if entry.strip()), "")
        if _ATTRIBUTION.match(attribution) and following.startswith(">"):
            return True
    return False
