"""Reading mails: sender, text from plain or HTML, attachments, threads, and what counts as automatic."""

from __future__ import annotations

import pytest

from kontaktpunkt.mailin.models import IgnoreReason
from kontaktpunkt.mailin.parse import (
    html_to_text,
    mail_parse,
    reference_pattern,
    references_in_text,
    references_in_thread,
    reply_text,
)
from kontaktpunkt.testing.imap import message_build

OWN = frozenset({"kontaktpunkt@stadt.example"})
PATTERN = reference_pattern("KP")


def parse(raw: bytes, *, complete: bool = True):
    return mail_parse(raw, own_addresses=OWN, complete=complete)


def test_a_plain_mail_gives_sender_subject_text_and_message_id():
    message = message_build(
        sender="Erika Mustermann <Erika.Mustermann@Example.org>",
        subject="Scherben am Spielplatz",
        text="Am Spielplatz liegen Scherben.\r\n\r\n\r\n\r\nBitte räumen.",
    )

    mail = parse(message.as_bytes())

    assert mail.sender_name == "Erika Mustermann"
    assert mail.sender_address == mail.from_address == "erika.mustermann@example.org"
    assert mail.subject == "Scherben am Spielplatz"
    assert mail.text == "Am Spielplatz liegen Scherben.\n\nBitte räumen."
    assert mail.key == mail.message_id == message["Message-ID"]
    assert mail.ignore_reason is None and mail.attachments == ()
    assert mail.sent_at is not None and mail.sent_at.tzinfo is not None


def test_encoded_words_in_headers_are_decoded():
    raw = (
        b"From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <juergen@example.org>\r\n"
        b"Subject: =?utf-8?b?R3LDvG5mbMOkY2hlIHZlcm3DvGxsdA==?=\r\n"
        b"Message-ID: <1@example.org>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nText\r\n"
    )

    mail = parse(raw)

    assert mail.sender_name == "Jürgen Müller"
    assert mail.subject == "Grünfläche vermüllt"


def test_a_latin_1_body_is_read_in_its_charset():
    raw = (
        b"From: a@example.org\r\nSubject: x\r\nMessage-ID: <2@example.org>\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Stra=DFe vor dem B=FCro, =C4rger mit L=E4rm.\r\n"
    )

    assert parse(raw).text == "Straße vor dem Büro, Ärger mit Lärm."


def test_an_undeclared_or_unknown_charset_falls_back_without_failing():
    raw = (
        b"From: a@example.org\r\nSubject: Gr\xfc\xdfe\r\nMessage-ID: <3@example.org>\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nM\xfcll \xfcberall\r\n"
    )

    mail = parse(raw)

    assert mail.text == "Müll überall"
    assert mail.subject == "Grüße"


def test_an_html_only_mail_becomes_readable_text():
    html = (
        "<html><head><title>t</title><style>p{color:red}</style></head><body>"
        "<p>Hallo,</p><p>vor dem <b>Haus&nbsp;Nr.&nbsp;5</b> stehen:<br>Sperrm&uuml;ll</p>"
        "<ul><li>ein Sofa</li><li>zwei Stühle</li></ul>"
        '<p>Foto: <a href="https://bilder.example.org/1">hier</a></p>'
        "<script>alert(1)</script></body></html>"
    )
    message = message_build(text="", html=html)

    mail = parse(message.as_bytes())

    assert mail.text == (
        "Hallo,\n\nvor dem Haus Nr. 5 stehen:\nSperrmüll\n\n- ein Sofa\n- zwei Stühle"
        "\n\nFoto: hier (https://bilder.example.org/1)"
    )


def test_the_plain_version_of_an_alternative_is_preferred_but_its_images_are_kept():
    message = message_build(text="Der Text.", html="<p>Der <i>HTML</i>-Text.</p>")
    _, html_part = message.iter_parts()
    html_part.make_related()
    html_part.add_related(b"\xff\xd8\xffpixels", maintype="image", subtype="jpeg", cid="<b@x>")

    mail = parse(message.as_bytes())

    assert mail.text == "Der Text."
    assert [(a.content_type, a.data) for a in mail.attachments] == [
        ("image/jpeg", b"\xff\xd8\xffpixels")
    ]


def test_attachments_keep_their_names_including_umlauts():
    message = message_build(
        attachments=[
            ("Straßenschild.jpg", "image/jpeg", b"\xff\xd8\xffdata"),
            ("rechnung.exe", "application/octet-stream", b"MZ\x90\x00"),
        ]
    )

    mail = parse(message.as_bytes())

    assert [(a.name, a.content_type, a.data) for a in mail.attachments] == [
        ("Straßenschild.jpg", "image/jpeg", b"\xff\xd8\xffdata"),
        ("rechnung.exe", "application/octet-stream", b"MZ\x90\x00"),
    ]
    assert mail.text == "Am Spielplatz liegen seit Tagen Glasscherben."


def test_a_forwarded_mail_is_an_attachment_not_text():
    inner = message_build(subject="Innen", text="Weitergeleiteter Text")
    message = message_build(text="Siehe Anhang.")
    message.add_attachment(inner)

    mail = parse(message.as_bytes())

    assert mail.text == "Siehe Anhang."
    assert [a.content_type for a in mail.attachments] == ["message/rfc822"]
    assert b"Weitergeleiteter Text" in mail.attachments[0].data


def test_reply_to_is_the_address_to_answer():
    message = message_build(
        sender="Formular <noreply@stadt.example>",
        headers={"Reply-To": "Max Muster <max@example.org>"},
    )

    mail = parse(message.as_bytes())

    assert (mail.sender_name, mail.sender_address) == ("Max Muster", "max@example.org")
    assert mail.from_address == "noreply@stadt.example"


def test_a_mail_without_message_id_is_keyed_by_its_content():
    raw = b"From: a@example.org\r\nSubject: ohne\r\n\r\nText\r\n"

    first, second = parse(raw), parse(raw)

    assert first.message_id == "" and first.key.startswith("sha256:")
    assert first.key == second.key != parse(raw + b"mehr\r\n").key


def test_an_overlong_message_id_is_keyed_by_its_digest():
    raw = b"From: a@example.org\r\nMessage-ID: <" + b"x" * 300 + b"@example.org>\r\n\r\nText\r\n"

    assert parse(raw).key.startswith("sha256:")


def test_a_mail_read_header_only_has_no_text():
    mail = parse(message_build().as_bytes(), complete=False)

    assert mail.text == "" and mail.attachments == () and not mail.complete


def test_a_malformed_sender_address_is_kept_for_the_caller_to_check():
    mail = parse(message_build(sender="Max <max@@example..org>").as_bytes())

    assert (mail.sender_name, mail.sender_address) == ("Max", "max@@example..org")


def test_a_mail_without_usable_sender_has_no_address():
    raw = b"From: undisclosed-recipients:;\r\nMessage-ID: <4@example.org>\r\n\r\nText\r\n"

    mail = parse(raw)

    assert mail.sender_address == "" and mail.ignore_reason is None


@pytest.mark.parametrize(
    ("headers", "reason", "detail"),
    [
        (
            {"Auto-Submitted": "auto-replied"},
            IgnoreReason.AUTO_REPLY,
            "Auto-Submitted: auto-replied",
        ),
        (
            {"Auto-Submitted": "auto-generated"},
            IgnoreReason.AUTO_REPLY,
            "Auto-Submitted: auto-generated",
        ),
        ({"X-Autoreply": "yes"}, IgnoreReason.AUTO_REPLY, "X-Autoreply"),
        ({"X-Autorespond": "Urlaub"}, IgnoreReason.AUTO_REPLY, "X-Autorespond"),
        ({"Precedence": "auto_reply"}, IgnoreReason.AUTO_REPLY, "Precedence: auto_reply"),
        ({"Subject": "Automatische Antwort: Ihre Meldung"}, IgnoreReason.AUTO_REPLY, "Subject"),
        ({"Subject": "Out of Office: Re: KP"}, IgnoreReason.AUTO_REPLY, "Subject"),
        ({"Precedence": "bulk"}, IgnoreReason.BULK, "Precedence: bulk"),
        ({"Precedence": "junk"}, IgnoreReason.BULK, "Precedence: junk"),
        ({"Precedence": "list"}, IgnoreReason.BULK, "Precedence: list"),
        ({"List-Id": "<news.example.org>"}, IgnoreReason.BULK, "List-Id"),
        ({"X-Spam-Flag": "YES"}, IgnoreReason.SPAM, "X-Spam-Flag: YES"),
        ({"Return-Path": "<>"}, IgnoreReason.BOUNCE, "Return-Path: <>"),
        (
            {"From": "Mail Delivery System <MAILER-DAEMON@mx.example.org>"},
            IgnoreReason.BOUNCE,
            "From: MAILER-DAEMON",
        ),
        (
            {"From": "Kontaktpunkt <Kontaktpunkt@stadt.example>"},
            IgnoreReason.LOOP,
            "From: own address",
        ),
        (
            {"X-Kontaktpunkt-Reference": "KP-2026-000001"},
            IgnoreReason.LOOP,
            "X-Kontaktpunkt-Reference",
        ),
    ],
)
def test_automatic_mails_are_recognised(headers, reason, detail):
    mail = parse(message_build(headers=headers).as_bytes())

    assert (mail.ignore_reason, mail.ignore_detail) == (reason, detail)


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "no"},
        {"X-Autoreply": "no"},
        {"Precedence": "first-class"},
        {"Subject": "Auto parkt auf dem Gehweg"},
        {"Subject": "Abwesend: niemand kümmert sich"},
        {"Return-Path": "<erika@example.org>"},
        {"X-Spam-Flag": "NO"},
    ],
)
def test_a_persons_mail_is_not_taken_for_automatic(headers):
    assert parse(message_build(headers=headers).as_bytes()).ignore_reason is None


def test_a_delivery_status_notification_is_a_bounce():
    raw = (
        b"From: postmaster@mx.example.org\r\nSubject: Undelivered Mail\r\n"
        b"Message-ID: <dsn@mx.example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; x@y\r\nAction: failed\r\n"
        b"Status: 5.1.1\r\n\r\n--B--\r\n"
    )

    mail = parse(raw)

    assert mail.ignore_reason == IgnoreReason.BOUNCE
    assert mail.ignore_detail == "Content-Type: multipart/report; report-type=delivery-status"


def test_thread_ids_name_the_direct_parent_first():
    raw = (
        b"From: a@example.org\r\nMessage-ID: <c@example.org>\r\n"
        b"In-Reply-To: <b@stadt.example>\r\n"
        b"References: <a@stadt.example> <other@example.org>\r\n <b@stadt.example>\r\n\r\nText\r\n"
    )

    mail = parse(raw)

    assert mail.in_reply_to == ("<b@stadt.example>",)
    assert mail.references == ("<a@stadt.example>", "<other@example.org>", "<b@stadt.example>")
    assert mail.thread_ids[:3] == ("<b@stadt.example>", "<b@stadt.example>", "<other@example.org>")


def test_references_come_only_from_message_ids_of_our_domain():
    message = message_build(
        headers={
            "In-Reply-To": "<public-ack-KP-2026-000007@stadt.example>",
            "References": (
                "<KP-2026-000009@elsewhere.example> <escalation.KP-2026-000008.v3@Stadt.Example> "
                "<XKP-2026-000001@stadt.example> <public-ack-KP-2026-000007@stadt.example>"
            ),
        }
    )

    found = references_in_thread(parse(message.as_bytes()), domain="stadt.example", pattern=PATTERN)

    assert found == ["KP-2026-000007", "KP-2026-000008"]


def test_references_in_a_subject_are_found_once():
    text = "AW: Ihre Meldung KP-2026-000123 (KP-2026-000123, KP-2026-0001234)"

    assert references_in_text(text, pattern=PATTERN) == ["KP-2026-000123", "KP-2026-0001234"]


def test_a_reply_loses_the_quoted_mail_below_it():
    text = (
        "Danke, der Müll ist noch da.\n\n"
        "Am Mo., 3. März 2026 um 10:00 Uhr schrieb Kontaktpunkt <\n"
        "kontaktpunkt@stadt.example>:\n\n"
        "> Ihre Meldung KP-2026-000001 ist eingegangen.\n> Mit freundlichen Grüßen"
    )

    assert reply_text(text) == "Danke, der Müll ist noch da."


@pytest.mark.parametrize(
    "separator",
    ["-----Ursprüngliche Nachricht-----", "-------- Original Message --------", "_" * 32],
)
def test_a_reply_loses_an_outlook_style_quote(separator):
    text = f"Erledigt, danke.\n\n{separator}\nVon: Kontaktpunkt\nBetreff: Ihre Meldung\n\nText"

    assert reply_text(text) == "Erledigt, danke."


def test_a_sentence_that_looks_like_an_attribution_stays_when_no_quote_follows():
    text = "Am Montag schrieb ich Ihnen bereits:\nDie Laterne ist immer noch aus."

    assert reply_text(text) == text


def test_a_reply_that_is_only_a_quote_keeps_its_text():
    assert reply_text("> nur zitiert") == "> nur zitiert"


def test_html_to_text_drops_hidden_parts_and_keeps_table_cells_apart():
    html = (
        "<table><tr><td>Ort</td><td>Ostwall</td></tr><tr><td>Zeit</td><td>nachts</td></tr></table>"
        "<noscript>x</noscript><svg><text>y</text></svg>"
    )

    assert html_to_text(html) == "Ort Ostwall\n\nZeit nachts"
