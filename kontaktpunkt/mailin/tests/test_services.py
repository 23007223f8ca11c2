"""Taking in the mailbox, against a real dovecot: mails become concerns, replies notes, automatic
mails nothing, and no mail is taken in twice — not after a restart, not after a crash."""

from __future__ import annotations

import io
import secrets
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext, ngettext
from PIL import Image

from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.core.jobs import jobs_run_due
from kontaktpunkt.core.mail import mail_enqueue, mail_message_id
from kontaktpunkt.intake.models import (
    Channel,
    Concern,
    ConcernEvent,
    EventKind,
    Priority,
    Status,
)
from kontaktpunkt.intake.services import ConcernInput, ReporterInput, concern_merge, concern_submit
from kontaktpunkt.mailin import services
from kontaktpunkt.mailin.imap import Mailbox
from kontaktpunkt.mailin.models import IgnoreReason, ImportedMail, MailKind
from kontaktpunkt.mailin.services import ImportReport, mails_import
from kontaktpunkt.testing.imap import message_build

pytestmark = pytest.mark.django_db

FLAG = "$KontaktpunktImported"
ERIKA_ADDRESS = "erika.mustermann@example.org"
ERIKA = f"Erika Mustermann <{ERIKA_ADDRESS}>"


@pytest.fixture(autouse=True)
def _our_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Kontaktpunkt <kontaktpunkt@stadt.example>"


def german(message: str, **values: object) -> str:
    """A message as the import writes it: in the site's language (the msgid until translated)."""
    with translation.override("de"):
        return gettext(message) % values if values else gettext(message)


def german_size(size: int) -> str:
    with translation.override("de"):
        return str(filesizeformat(size))


def run(config, **kwargs) -> ImportReport:
    return mails_import(config=config, **kwargs)


def notes(concern: Concern) -> list[str]:
    return list(
        ConcernEvent.objects.filter(concern=concern, kind=EventKind.NOTE)
        .order_by("id")
        .values_list("text", flat=True)
    )


def jpeg(*, size=(64, 48), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, "green")
    if exif:
        data = Image.Exif()
        data[0x010F] = "Handyhersteller"
        image.save(out, "JPEG", exif=data)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


def acknowledgement(concern: Concern, smtp_mail) -> EmailMessage:
    """Our acknowledgement, enqueued and sent by the worker through the real SMTP server."""
    mail_enqueue(
        key=f"ack-{concern.reference}",
        to=[concern.reporter.email],
        subject=f"Ihre Meldung {concern.reference} ist eingegangen",
        text=f"Vielen Dank. Ihre Meldung hat die Nummer {concern.reference}.",
        reference=concern.reference,
    )
    jobs_run_due(worker="test")
    (received,) = smtp_mail.wait_for(1)
    message: EmailMessage = received.message
    return message


def reply_to(
    message: EmailMessage, *, text: str, sender: str = ERIKA, **headers: str
) -> EmailMessage:
    """A reply as a mail program writes it: Re: subject, In-Reply-To and References, the quote."""
    body = message.get_body()
    assert body is not None
    quoted = "\n".join(f"> {line}" for line in str(body.get_content()).splitlines())
    return message_build(
        sender=sender,
        subject=f"AW: {message['Subject']}",
        text=f"{text}\n\nAm 3. März 2026 um 10:00 schrieb Kontaktpunkt:\n{quoted}",
        headers={
            "In-Reply-To": message["Message-ID"],
            "References": message["Message-ID"],
            **headers,
        },
    )


# --------------------------------------------------------------------------- acceptance


def test_a_mail_to_the_mailbox_becomes_a_concern(imap_config_plain, imap_settings):
    uid = imap_settings.append(
        message_build(sender=ERIKA, subject="Scherben am Spielplatz", text="Bitte wegräumen.")
    )

    report = run(imap_config_plain)

    concern = Concern.objects.get()
    assert concern.channel == Channel.EMAIL and concern.status == Status.NEW
    assert concern.description == "Scherben am Spielplatz\n\nBitte wegräumen."
    reporter = concern.reporter
    assert (reporter.name, reporter.email) == ("Erika Mustermann", "erika.mustermann@example.org")
    assert reporter.consent and reporter.wants_updates and reporter.consent_at is not None
    assert ConcernEvent.objects.filter(concern=concern, kind=EventKind.CREATED).count() == 1
    record = ImportedMail.objects.get()
    assert (record.kind, record.concern) == (MailKind.IMPORTED, concern)
    assert record.received_at is not None
    assert concern.reported_at == record.received_at  # the deadline counts from the arrival
    assert report == ImportReport(imported=1)
    assert {FLAG, "\\Seen"} <= imap_settings.flags(uid)


def test_the_reply_to_our_acknowledgement_lands_on_the_same_concern(
    imap_config_plain, imap_settings, smtp_mail
):
    imap_settings.append(message_build(sender=ERIKA, text="Sperrmüll vor Haus 5."))
    run(imap_config_plain)
    concern = Concern.objects.get()
    ack = acknowledgement(concern, smtp_mail)
    assert ack["Message-ID"] == mail_message_id(f"ack-{concern.reference}")
    reply = reply_to(ack, text="Er liegt immer noch da, jetzt auch ein Kühlschrank.")
    reply.add_attachment(jpeg(), maintype="image", subtype="jpeg", filename="kuehlschrank.jpg")
    uid = imap_settings.append(reply)

    report = run(imap_config_plain)

    assert report == ImportReport(reply=1)
    assert Concern.objects.count() == 1
    assert notes(concern) == [
        german("Reply by e-mail from %(sender)s:", sender=f"Erika Mustermann <{ERIKA_ADDRESS}>")
        + "\n\nEr liegt immer noch da, jetzt auch ein Kühlschrank."
    ]
    assert Attachment.objects.get().concern == concern
    record = ImportedMail.objects.get(kind=MailKind.REPLY)
    assert record.concern == concern and record.attachments_kept == 1
    assert FLAG in imap_settings.flags(uid)


def test_an_auto_reply_creates_nothing(imap_config_plain, imap_settings, smtp_mail):
    imap_settings.append(message_build(sender=ERIKA))
    run(imap_config_plain)
    concern = Concern.objects.get()
    ack = acknowledgement(concern, smtp_mail)
    vacation = reply_to(
        ack, text="Ich bin bis zum 20. März nicht im Büro.", **{"Auto-Submitted": "auto-replied"}
    )
    uid = imap_settings.append(vacation)
    version = concern.version

    report = run(imap_config_plain)

    assert report == ImportReport(ignored=1)
    assert Concern.objects.count() == 1 and notes(concern) == []
    concern.refresh_from_db()
    assert concern.version == version
    record = ImportedMail.objects.get(kind=MailKind.IGNORED)
    assert (record.reason, record.detail) == (
        IgnoreReason.AUTO_REPLY,
        "Auto-Submitted: auto-replied",
    )
    assert record.concern is None
    assert FLAG in imap_settings.flags(uid)


def test_restarting_the_worker_imports_nothing_twice(imap_config_plain, imap_settings):
    for n in range(3):
        imap_settings.append(message_build(subject=f"Meldung {n}"))
    imap_settings.append(message_build(headers={"Precedence": "bulk"}))
    assert run(imap_config_plain) == ImportReport(imported=3, ignored=1)

    # a new process: a fresh client, a fresh connection, nothing remembered in memory
    again = run(imap_config_plain)

    assert again == ImportReport()
    assert Concern.objects.count() == 3 and ImportedMail.objects.count() == 4


class Crash(BaseException):
    """The worker dies (kill -9) right after the commit, before the mail is flagged."""


def test_a_crash_between_commit_and_flagging_imports_nothing_twice(
    imap_config_plain, imap_settings, monkeypatch
):
    uid = imap_settings.append(message_build(subject="Laterne defekt"))

    def crash(self, uid):
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(Mailbox, "mark_processed", crash)
        with pytest.raises(Crash):
            run(imap_config_plain)
    assert Concern.objects.count() == 1
    assert FLAG not in imap_settings.flags(uid)  # the server never heard of the import

    report = run(imap_config_plain)

    assert report == ImportReport(duplicate=1)
    assert Concern.objects.count() == 1 and ImportedMail.objects.count() == 1
    assert FLAG in imap_settings.flags(uid)
    assert run(imap_config_plain) == ImportReport()


def test_another_worker_taking_the_mail_first_leaves_one_concern(
    imap_config_plain, imap_settings, monkeypatch
):
    """Two rounds at once: the other one records the mail between our check and our insert."""
    message = message_build()
    imap_settings.append(message)
    real = services.concern_answered

    def other_worker_first(mail):
        other = concern_submit(data=ConcernInput(channel=Channel.EMAIL, description="x"), by=None)
        ImportedMail.objects.create(message_id=mail.key, kind=MailKind.IMPORTED, concern=other)
        return real(mail)

    monkeypatch.setattr(services, "concern_answered", other_worker_first)

    report = run(imap_config_plain)

    assert report == ImportReport(duplicate=1)
    assert Concern.objects.count() == 1
    assert ImportedMail.objects.get().message_id == message["Message-ID"]


# --------------------------------------------------------------------------- attachments


def test_a_photo_attachment_is_kept_without_its_metadata(imap_config_plain, imap_settings):
    imap_settings.append(
        message_build(attachments=[("IMG_2041.JPG", "image/jpeg", jpeg(exif=True))])
    )

    run(imap_config_plain)

    attachment = Attachment.objects.get()
    assert attachment.concern == Concern.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("IMG_2041.JPG", "image/jpeg")
    assert attachment.uploaded_by is None
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (64, 48) and dict(image.getexif()) == {}
    assert ImportedMail.objects.get().attachments_kept == 1


def test_a_malicious_attachment_is_skipped_and_noted_never_stored(
    imap_config_plain, imap_settings, settings
):
    imap_settings.append(
        message_build(
            text="Fotos anbei.",
            attachments=[
                ("foto.jpg", "image/jpeg", b"<html><script>alert(1)</script></html>"),
                ("rechnung.pdf.exe", "application/octet-stream", b"MZ\x90\x00\x03" * 40),
                ("spielplatz.jpg", "image/jpeg", jpeg()),
            ],
        )
    )

    report = run(imap_config_plain)

    assert report == ImportReport(imported=1)
    concern = Concern.objects.get()
    assert [a.original_name for a in Attachment.objects.all()] == ["spielplatz.jpg"]
    (note,) = notes(concern)
    with translation.override("de"):
        unknown_type = gettext(
            "This type of file is not accepted. Allowed are images (JPEG, PNG, WebP) and PDF."
        )
    refused = 'The attachment "%(name)s" was not taken over: %(reason)s'
    assert note.split("\n") == [
        german(refused, name="foto.jpg", reason=unknown_type),
        german(refused, name="rechnung.pdf.exe", reason=unknown_type),
    ]
    stored = [p for p in (settings.MEDIA_ROOT / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].suffix == ".jpg"
    assert b"MZ" not in stored[0].read_bytes()[:2]
    record = ImportedMail.objects.get()
    assert (record.attachments_kept, record.attachments_refused) == (1, 2)


def test_attachments_beyond_the_limit_are_noted(imap_config_plain, imap_settings, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENTS", 1)
    imap_settings.append(
        message_build(
            attachments=[("a.jpg", "image/jpeg", jpeg()), ("b.jpg", "image/jpeg", jpeg())]
        )
    )

    run(imap_config_plain)

    assert Attachment.objects.count() == 1
    with translation.override("de"):
        expected = ngettext(
            "%(count)d more attachment was not taken over (at most %(max)d per e-mail).",
            "%(count)d more attachments were not taken over (at most %(max)d per e-mail).",
            1,
        ) % {"count": 1, "max": 1}
    assert notes(Concern.objects.get()) == [expected]


def test_a_failure_half_way_leaves_no_concern_and_no_file_and_is_tried_again(
    imap_config_plain, imap_settings, monkeypatch, settings
):
    uid = imap_settings.append(
        message_build(
            attachments=[("a.jpg", "image/jpeg", jpeg()), ("b.jpg", "image/jpeg", jpeg())]
        )
    )
    real = services.attachment_add
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(**kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(services, "attachment_add", second_fails)
        report = run(imap_config_plain)

    assert report == ImportReport(retry=1)
    assert Concern.objects.count() == 0 and Attachment.objects.count() == 0
    media = settings.MEDIA_ROOT / "attachments"
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    record = ImportedMail.objects.get()
    assert (record.kind, record.attempts) == (MailKind.FAILED, 1)
    assert "disk full" in record.last_error
    assert FLAG not in imap_settings.flags(uid)

    assert run(imap_config_plain) == ImportReport(retry=1)  # waits for its backoff
    ImportedMail.objects.update(at=record.at - timedelta(minutes=1))

    assert run(imap_config_plain) == ImportReport(imported=1)
    assert Attachment.objects.count() == 2
    record.refresh_from_db()
    assert (record.kind, record.last_error) == (MailKind.IMPORTED, "")
    assert FLAG in imap_settings.flags(uid)


def test_a_mail_that_keeps_failing_is_given_up_flagged_and_listed(
    imap_config_plain, imap_settings, monkeypatch
):
    uid = imap_settings.append(message_build())
    monkeypatch.setattr(services, "MAX_ATTEMPTS", 2)
    monkeypatch.setattr(services, "RETRY_BASE", timedelta(0))

    def broken(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(services, "concern_submit", broken)

    assert run(imap_config_plain) == ImportReport(retry=1)
    assert run(imap_config_plain) == ImportReport(given_up=1)

    record = ImportedMail.objects.get()
    assert (record.kind, record.attempts, record.last_error) == (
        MailKind.FAILED,
        2,
        "RuntimeError: kaputt",
    )
    assert FLAG in imap_settings.flags(uid)  # it stays in the mailbox for people to read
    assert run(imap_config_plain) == ImportReport()


def test_a_failing_mail_does_not_hold_up_the_ones_behind_it(
    imap_config_plain, imap_settings, monkeypatch
):
    imap_settings.append(message_build(subject="kaputt"))
    imap_settings.append(message_build(subject="gut"))
    real = services.concern_submit

    def first_fails(*, data, by):
        if data.description.startswith("kaputt"):
            raise RuntimeError("kaputt")
        return real(data=data, by=by)

    monkeypatch.setattr(services, "concern_submit", first_fails)

    assert run(imap_config_plain, limit=1) == ImportReport(imported=1, retry=1)
    assert run(imap_config_plain, limit=1) == ImportReport(retry=1)  # waiting, nothing else to do
    assert Concern.objects.get().description.startswith("gut")


# --------------------------------------------------------------------------- text and headers


def test_an_html_only_mail_becomes_a_readable_concern(imap_config_plain, imap_settings):
    imap_settings.append(
        message_build(
            subject="Graffiti",
            text="",
            html="<div>Graffiti an der<br>Schule</div><p>Gr&uuml;&szlig;e<script>x()</script></p>",
        )
    )

    run(imap_config_plain)

    assert Concern.objects.get().description == "Graffiti\n\nGraffiti an der\nSchule\n\nGrüße"


def test_umlauts_in_headers_and_a_latin_1_body_arrive_intact(imap_config_plain, imap_settings):
    imap_settings.append(
        b"From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <juergen.mueller@example.org>\r\n"
        b"To: kod@stadt.example\r\n"
        b"Subject: =?utf-8?q?Gr=C3=BCnfl=C3=A4che_an_der_Stra=C3=9Fe?=\r\n"
        b"Message-ID: <latin1@example.org>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=ISO-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Auf der Gr\xfcnfl\xe4che liegt M\xfcll, \xfcberall T\xfcten. Gru\xdf\r\n"
    )

    run(imap_config_plain)

    concern = Concern.objects.get()
    assert concern.description == (
        "Grünfläche an der Straße\n\nAuf der Grünfläche liegt Müll, überall Tüten. Gruß"
    )
    assert concern.reporter.name == "Jürgen Müller"


def test_a_mail_the_classifier_is_sure_about_gets_category_urgency_and_unit(
    imap_config_plain, imap_settings
):
    imap_settings.append(
        message_build(
            sender=ERIKA,
            subject="Spritzen am Spielplatz",
            text="Im Sandkasten am Spielplatz liegen gebrauchte Spritzen.",
        )
    )

    run(imap_config_plain)

    concern = Concern.objects.get()
    assert concern.category is not None
    assert concern.category.code == "cleanliness-syringes"
    assert concern.priority == Priority.URGENT
    assert concern.responsible_unit == concern.category.default_unit
    proposal = concern.extra["classification"]
    assert proposal["taken"] is True
    assert proposal["candidates"][0]["code"] == "cleanliness-syringes"


def test_a_mail_the_classifier_is_unsure_about_waits_uncategorised_with_the_proposal(
    imap_config_plain, imap_settings
):
    imap_settings.append(
        message_build(sender=ERIKA, subject="Beschwerde", text="über Ihren Mitarbeiter")
    )

    run(imap_config_plain)

    concern = Concern.objects.get()
    assert concern.category is None and concern.responsible_unit is None
    assert concern.priority == Priority.NORMAL
    proposal = concern.extra["classification"]
    assert proposal["taken"] is False
    assert len(proposal["candidates"]) == 3


def test_a_mail_without_text_or_subject_still_becomes_a_concern(imap_config_plain, imap_settings):
    imap_settings.append(message_build(subject="", text=""))

    run(imap_config_plain)

    assert Concern.objects.get().description == german("(e-mail without text)")
    assert "classification" not in Concern.objects.get().extra  # the placeholder is not classified


def test_a_mail_without_usable_sender_becomes_a_concern_without_contact(
    imap_config_plain, imap_settings
):
    imap_settings.append(
        b"From: undisclosed-recipients:;\r\nSubject: anonym\r\nMessage-ID: <anon@example.org>\r\n"
        b"\r\nAm Bahnhof wird gedealt.\r\n"
    )

    run(imap_config_plain)

    concern = Concern.objects.get()
    assert concern.description == "anonym\n\nAm Bahnhof wird gedealt."
    assert not hasattr(concern, "reporter") or concern.reporter is None


def test_an_invalid_sender_address_is_dropped_and_the_name_kept(imap_config_plain, imap_settings):
    imap_settings.append(message_build(sender="Max <max@@example..org>"))

    run(imap_config_plain)

    reporter = Concern.objects.get().reporter
    assert (reporter.name, reporter.email, reporter.consent) == ("Max", "", False)


def test_an_oversized_mail_becomes_a_concern_with_a_note(
    imap_config_plain, imap_settings, monkeypatch
):
    monkeypatch.setattr(services, "MAX_MAIL_BYTES", 2000)
    uid = imap_settings.append(
        message_build(
            subject="Video vom Lärm", attachments=[("laerm.mp4", "video/mp4", b"v" * 5000)]
        )
    )

    run(imap_config_plain)

    concern = Concern.objects.get()
    assert concern.description == "Video vom Lärm"
    assert notes(concern) == [
        german(
            "The e-mail was larger than %(size)s; its text and attachments were not taken "
            "over. It remains in the mailbox.",
            size=german_size(2000),
        )
    ]
    assert FLAG in imap_settings.flags(uid)


# --------------------------------------------------------------------------- threads


def submitted(email: str = "erika.mustermann@example.org") -> Concern:
    return concern_submit(
        data=ConcernInput(
            channel=Channel.PHONE,
            description="Lärm",
            reporter=ReporterInput(name="Erika", email=email, consent=True),
        ),
        by=None,
    )


def test_a_reply_naming_the_reference_only_in_the_subject_counts_from_the_reporter(
    imap_config_plain, imap_settings
):
    concern = submitted()
    imap_settings.append(
        message_build(
            sender=ERIKA, subject=f"Nachtrag zu {concern.reference}", text="Heute wieder."
        )
    )

    assert run(imap_config_plain) == ImportReport(reply=1)
    assert notes(concern) == [
        german("Reply by e-mail from %(sender)s:", sender=f"Erika Mustermann <{ERIKA_ADDRESS}>")
        + "\n\nHeute wieder."
    ]


def test_a_reference_in_the_subject_from_a_stranger_makes_a_new_concern(
    imap_config_plain, imap_settings
):
    concern = submitted()
    imap_settings.append(
        message_build(sender="fremd@example.net", subject=f"Zu {concern.reference}", text="Hallo")
    )

    assert run(imap_config_plain) == ImportReport(imported=1)
    assert notes(concern) == [] and Concern.objects.count() == 2


def test_a_reply_to_a_merged_concern_lands_on_its_original(imap_config_plain, imap_settings):
    original, duplicate = submitted(), submitted()
    concern_merge(duplicate=duplicate, original=original, by=None)
    message_id = mail_message_id(f"ack-{duplicate.reference}")
    imap_settings.append(
        message_build(text="Danke!", headers={"In-Reply-To": message_id, "References": message_id})
    )

    run(imap_config_plain)

    assert len(notes(original)) == 1 and notes(duplicate) == []


def test_a_reply_to_an_unknown_reference_makes_a_new_concern(imap_config_plain, imap_settings):
    message_id = mail_message_id("ack-KP-2026-999999")
    imap_settings.append(message_build(text="Hallo?", headers={"In-Reply-To": message_id}))

    assert run(imap_config_plain) == ImportReport(imported=1)


def test_a_reply_quoting_a_message_id_of_another_domain_makes_a_new_concern(
    imap_config_plain, imap_settings
):
    concern = submitted()
    imap_settings.append(
        message_build(
            text="Hallo", headers={"In-Reply-To": f"<ack-{concern.reference}@evil.example>"}
        )
    )

    assert run(imap_config_plain) == ImportReport(imported=1)
    assert notes(concern) == []


# --------------------------------------------------------------------------- automatic mail


BOUNCE = (
    b"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
    b"Subject: Undelivered Mail Returned to Sender\r\n"
    b"Message-ID: <bounce-1@mx.example.org>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
    b"--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
    b"--B\r\nContent-Type: message/delivery-status\r\n\r\n"
    b"Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; weg@example.org\r\n"
    b"Action: failed\r\nStatus: 5.1.1\r\n\r\n--B--\r\n"
)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (BOUNCE, IgnoreReason.BOUNCE),
        (
            message_build(sender="Kontaktpunkt <kontaktpunkt@stadt.example>", subject="Eingang"),
            IgnoreReason.LOOP,
        ),
        (message_build(headers={"X-Kontaktpunkt-Reference": "KP-2026-000001"}), IgnoreReason.LOOP),
        (message_build(headers={"List-Id": "<newsletter.example.org>"}), IgnoreReason.BULK),
    ],
)
def test_bounces_loops_and_bulk_mail_create_nothing(
    imap_config_plain, imap_settings, message, reason
):
    uid = imap_settings.append(message)

    report = run(imap_config_plain)

    assert report == ImportReport(ignored=1)
    assert Concern.objects.count() == 0
    assert ImportedMail.objects.get().reason == reason
    assert FLAG in imap_settings.flags(uid)


def test_mail_from_the_mailbox_itself_is_a_loop(imap_config_plain, dovecot):
    address = f"kod-{secrets.token_hex(3)}@stadt.example"
    account = dovecot.account_add(user=address)
    config = replace(imap_config_plain, user=account.user, password=account.password)
    account.append(message_build(sender=f"KOD <{address.upper()}>"))

    report = mails_import(config=config)

    assert report == ImportReport(ignored=1)
    assert ImportedMail.objects.get().detail == "From: own address"


# --------------------------------------------------------------------------- rounds


def test_a_round_takes_at_most_its_limit_oldest_first(imap_config_plain, imap_settings):
    for n in range(3):
        imap_settings.append(message_build(subject=f"Nr. {n}"))

    assert run(imap_config_plain, limit=2) == ImportReport(imported=2)
    assert list(Concern.objects.order_by("id").values_list("description", flat=True)) == [
        "Nr. 0\n\nAm Spielplatz liegen seit Tagen Glasscherben.",
        "Nr. 1\n\nAm Spielplatz liegen seit Tagen Glasscherben.",
    ]
    assert run(imap_config_plain, limit=2) == ImportReport(imported=1)


def test_a_round_stops_taking_mails_when_its_time_is_up(imap_config_plain, imap_settings):
    for _ in range(2):
        imap_settings.append(message_build())

    assert run(imap_config_plain, run_s=-1) == ImportReport()
    assert Concern.objects.count() == 0
