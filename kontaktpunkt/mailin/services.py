"""Taking in the mailbox: each new mail becomes a concern, a reply to one of our mails a note on it.

Per mail, in this order: parse it; skip it if its Message-ID is already recorded (`ImportedMail`);
otherwise, in ONE transaction, record it and write what it becomes — a concern (channel e-mail), a
note on the concern it answers, or nothing (auto-replies, bounces, loops: recorded as ignored). Only
after the commit is the mail flagged on the server. A crash in between leaves the mail unflagged;
the next round finds its Message-ID recorded and only flags it, so no mail is ever taken in twice.
A mail that fails is left unflagged and tried again with backoff, at most MAX_ATTEMPTS times; then it
is flagged, stays in the mailbox for people to read, and is listed as failed in the admin.

Contact and consent: a person who writes to the mailbox has chosen e-mail as the way to be answered.
The sender (Reply-To, else From) becomes the concern's reporter contact with `consent` and
`wants_updates` set, so that the acknowledgement and the status mails reach them; every status mail
carries the opt-out. An address that is not a valid one is dropped (the name is kept).

Category and urgency come from the classifier (intake.proposals): the best category is taken when
the classifier is sure enough, else the concern stays uncategorised for triage; either way the
proposal with its confidence is noted on the concern for staff.

Attachments go through the upload rules (`cases.attachments.upload_clean`: images re-encoded without
metadata, PDFs checked, everything else refused). A refused attachment is never stored; an internal
note on the concern names it and the reason.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontaktpunkt.cases.attachments import CleanUpload, UploadRefused, upload_clean
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.cases.services import attachment_add
from kontaktpunkt.core.mail import mail_message_id
from kontaktpunkt.intake.models import Channel, Concern
from kontaktpunkt.intake.proposals import inputs_classify
from kontaktpunkt.intake.services import (
    ConcernInput,
    ReporterInput,
    concern_add_note,
    concern_submit,
)
from kontaktpunkt.mailin.imap import FetchedMail, ImapConfig, mailbox_open
from kontaktpunkt.mailin.models import ImportedMail, MailKind
from kontaktpunkt.mailin.parse import (
    MailAttachment,
    ParsedMail,
    mail_parse,
    reference_pattern,
    references_in_text,
    references_in_thread,
    reply_text,
)

log = logging.getLogger(__name__)

BATCH = 25  # mails per round
RUN_S = 120.0  # a round stops taking new mails after this long (the job's lease is 5 minutes)
MAX_MAIL_BYTES = 40 * 1024 * 1024  # larger mails: only the header is read, the mail stays
MAX_ATTACHMENTS = 20
MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(minutes=1)  # a failed mail waits 1, 2, 4, … minutes before the next try
MAX_NAME = 200
MAX_EMAIL = 254


class Outcome(StrEnum):
    IMPORTED = MailKind.IMPORTED.value
    REPLY = MailKind.REPLY.value
    IGNORED = MailKind.IGNORED.value
    DUPLICATE = "duplicate"  # recorded before (a restart, or another worker was faster)
    RETRY = "retry"  # failed or waiting to be tried again: left unflagged
    GIVEN_UP = "given_up"  # failed MAX_ATTEMPTS times: flagged, listed as failed

    @property
    def done(self) -> bool:
        """Whether the mail is flagged as processed on the server."""
        return self is not Outcome.RETRY


@dataclass
class ImportReport:
    imported: int = 0
    reply: int = 0
    ignored: int = 0
    duplicate: int = 0
    retry: int = 0
    given_up: int = 0

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def mails_import(*, config: ImapConfig, limit: int = BATCH, run_s: float = RUN_S) -> ImportReport:
    """One round over the mailbox: process up to `limit` mails, oldest first, for at most `run_s`.

    Mails that wait for another try do not count towards the limit, so that they never hold up
    the ones behind them.
    """
    report = ImportReport()
    own = own_addresses(config)
    started = time.monotonic()
    processed = 0
    with mailbox_open(config) as mailbox:
        for uid in mailbox.unprocessed():
            if processed >= limit or time.monotonic() - started > run_s:
                break
            fetched = mailbox.fetch(uid, max_bytes=MAX_MAIL_BYTES)
            if fetched is None:  # deleted by someone in the meantime
                continue
            outcome = mail_take(fetched=fetched, own_addresses=own)
            report.count(outcome)
            if outcome.done:
                mailbox.mark_processed(uid)
                processed += 1
    return report


def own_addresses(config: ImapConfig) -> frozenset[str]:
    """Our sender address and the mailbox's own: mail from them is a loop."""
    ours = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    if "@" in config.user:
        ours.add(config.user.lower())
    return frozenset(address for address in ours if address)


def mail_take(*, fetched: FetchedMail, own_addresses: frozenset[str]) -> Outcome:
    """Take in one fetched mail unless it is recorded already; failures are recorded, not raised."""
    try:
        mail = mail_parse(fetched.raw, own_addresses=own_addresses, complete=fetched.complete)
    except Exception as exc:
        log.exception("mail UID %s could not be read", fetched.uid)
        return _failed(_raw_key(fetched.raw), fetched.received_at, exc)
    previous = ImportedMail.objects.filter(message_id=mail.key).first()
    if previous is not None and previous.kind != MailKind.FAILED:
        return Outcome.DUPLICATE
    if previous is not None and previous.attempts >= MAX_ATTEMPTS:
        return Outcome.GIVEN_UP
    if previous is not None and timezone.now() < previous.at + _backoff(previous.attempts):
        return Outcome.RETRY
    try:
        record = mail_record(mail=mail, received_at=fetched.received_at)
    except Exception as exc:
        if ImportedMail.objects.filter(message_id=mail.key).exclude(kind=MailKind.FAILED).exists():
            return Outcome.DUPLICATE  # another worker took it in meanwhile
        log.exception("mail %s (UID %s) could not be taken in", mail.key, fetched.uid)
        return _failed(mail.key, fetched.received_at, exc)
    return Outcome(record.kind)


class _TakenAlready(Exception):  # noqa: N818
    """Another worker recorded the mail between our check and our lock."""


def mail_record(*, mail: ParsedMail, received_at: datetime | None) -> ImportedMail:
    """Record the mail and write what it becomes, in one transaction (see the module docstring)."""
    with translation.override(settings.LANGUAGE_CODE):
        if mail.ignore_reason is not None:
            return _ignored_record(mail, received_at)
        answered = concern_answered(mail)
        kept, refused = _uploads(mail.attachments)
        stored: list[Attachment] = []
        try:
            with transaction.atomic():
                record = _reserve(mail.key)
                concern = _concern_write(mail, answered, received_at)
                for upload in kept:
                    stored.append(
                        attachment_add(
                            concern=concern, upload=upload, by=None, expected_version=None
                        )
                    )
                notes = _notes(mail, refused)
                if notes:
                    concern_add_note(concern=concern, text="\n".join(notes), public=False, by=None)
                record.kind = MailKind.REPLY if answered else MailKind.IMPORTED
                record.concern = concern
                record.attachments_kept = len(stored)
                record.attachments_refused = min(len(mail.attachments) - len(stored), 32_767)
                _done(record, received_at)
        except BaseException:
            for attachment in stored:  # files are not part of the transaction
                attachment.file.storage.delete(attachment.file.name)
            raise
    return record


def _ignored_record(mail: ParsedMail, received_at: datetime | None) -> ImportedMail:
    with transaction.atomic():
        record = _reserve(mail.key)
        record.kind = MailKind.IGNORED
        record.reason = mail.ignore_reason or ""
        record.detail = mail.ignore_detail[:200]
        _done(record, received_at)
    return record


def _reserve(key: str) -> ImportedMail:
    """The mail's row, locked: a new one (inserted now, so that a second worker waits on it) or the
    row of an earlier failed attempt."""
    record = ImportedMail.objects.select_for_update().filter(message_id=key).first()
    if record is None:
        return ImportedMail.objects.create(message_id=key, kind=MailKind.FAILED)
    if record.kind != MailKind.FAILED:
        raise _TakenAlready(key)
    return record


def _done(record: ImportedMail, received_at: datetime | None) -> None:
    record.received_at = received_at
    record.at = timezone.now()
    record.last_error = ""
    record.save()


def _concern_write(
    mail: ParsedMail, answered: Concern | None, received_at: datetime | None
) -> Concern:
    if answered is None:
        data = concern_input(mail, received_at=received_at)
        if mail.subject.strip() or mail.text.strip():  # not the placeholder of an empty mail
            (data,) = inputs_classify(inputs=[data])
        return concern_submit(data=data, by=None)
    text = _("Reply by e-mail from %(sender)s:") % {"sender": _sender(mail)}
    concern_add_note(
        concern=answered, text=f"{text}\n\n{reply_text(mail.text)}".strip(), public=False, by=None
    )
    return answered


def concern_answered(mail: ParsedMail) -> Concern | None:
    """The concern one of our mails was about, if this mail answers it (a merged one: its original).

    Proof is a Message-ID of ours in In-Reply-To/References. A reference that only the subject
    names counts only when the sender is the concern's own reporter (anyone can type a reference).
    """
    pattern = reference_pattern(settings.KP_REFERENCE_PREFIX)
    domain = mail_message_id("x").strip("<>").rpartition("@")[2]
    for reference in references_in_thread(mail, domain=domain, pattern=pattern):
        concern = Concern.objects.select_related("duplicate_of").filter(reference=reference).first()
        if concern is not None:
            return concern.duplicate_of or concern
    if not mail.sender_address:
        return None
    for reference in references_in_text(mail.subject, pattern=pattern):
        concern = (
            Concern.objects.select_related("duplicate_of")
            .filter(reference=reference, reporter__email__iexact=mail.sender_address)
            .first()
        )
        if concern is not None:
            return concern.duplicate_of or concern
    return None


def concern_input(mail: ParsedMail, *, received_at: datetime | None) -> ConcernInput:
    """A new concern from a person's mail: subject and text as its description, sender as contact."""
    description = "\n\n".join(part for part in (mail.subject, mail.text) if part.strip())
    return ConcernInput(
        channel=Channel.EMAIL,
        description=description or _("(e-mail without text)"),
        reporter=reporter_input(mail),
        reported_at=_reported_at(received_at or mail.sent_at),
    )


def reporter_input(mail: ParsedMail) -> ReporterInput | None:
    """The sender as reporter contact, with consent: they chose to write to us by e-mail."""
    address = mail.sender_address if _valid_email(mail.sender_address) else ""
    name = mail.sender_name.strip()[:MAX_NAME]
    if not address and not name:
        return None
    return ReporterInput(
        name=name, email=address, consent=bool(address), wants_updates=bool(address)
    )


def _valid_email(address: str) -> bool:
    if not address or len(address) > MAX_EMAIL:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _reported_at(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return min(moment, timezone.now())


def _sender(mail: ParsedMail) -> str:
    address = mail.sender_address or mail.from_address or "?"
    return f"{mail.sender_name} <{address}>" if mail.sender_name else address


def _uploads(attachments: tuple[MailAttachment, ...]) -> tuple[list[CleanUpload], list[str]]:
    """The attachments the upload rules accept, and a note line for each one they refuse."""
    kept: list[CleanUpload] = []
    refused: list[str] = []
    for attachment in attachments[:MAX_ATTACHMENTS]:
        try:
            kept.append(
                upload_clean(
                    data=attachment.data,
                    name=attachment.name,
                    declared_type=attachment.content_type,
                )
            )
        except UploadRefused as exc:
            refused.append(
                _('The attachment "%(name)s" was not taken over: %(reason)s')
                % {"name": attachment.label, "reason": exc}
            )
    extra = len(attachments) - MAX_ATTACHMENTS
    if extra > 0:
        refused.append(
            ngettext(
                "%(count)d more attachment was not taken over (at most %(max)d per e-mail).",
                "%(count)d more attachments were not taken over (at most %(max)d per e-mail).",
                extra,
            )
            % {"count": extra, "max": MAX_ATTACHMENTS}
        )
    return kept, refused


def _notes(mail: ParsedMail, refused: list[str]) -> list[str]:
    notes = list(refused)
    if not mail.complete:
        notes.append(
            _(
                "The e-mail was larger than %(size)s; its text and attachments were not taken "
                "over. It remains in the mailbox."
            )
            % {"size": filesizeformat(MAX_MAIL_BYTES)}
        )
    return notes


def _failed(key: str, received_at: datetime | None, exc: BaseException) -> Outcome:
    """Note a failed attempt on the mail's row; after MAX_ATTEMPTS the mail is given up."""
    try:
        with transaction.atomic():
            record = ImportedMail.objects.select_for_update().filter(message_id=key).first()
            if record is None:
                record = ImportedMail(message_id=key, kind=MailKind.FAILED)
            elif record.kind != MailKind.FAILED:
                return Outcome.DUPLICATE
            record.attempts += 1
            record.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            record.received_at = received_at
            record.at = timezone.now()
            record.save()
    except IntegrityError:  # another worker recorded it at the same moment
        return Outcome.RETRY
    return Outcome.GIVEN_UP if record.attempts >= MAX_ATTEMPTS else Outcome.RETRY


def _backoff(attempts: int) -> timedelta:
    return RETRY_BASE * (1 << min(max(attempts - 1, 0), 16))


def _raw_key(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()
