"""The IMAP client against a real dovecot: listing, fetching, flagging, moving, TLS and STARTTLS."""

from __future__ import annotations

import imaplib
import ssl
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone as django_timezone

from kontaktpunkt.mailin.imap import (
    ImapConfig,
    ImapError,
    Security,
    imap_config,
    internaldate,
    mailbox_name,
    mailbox_open,
)
from kontaktpunkt.testing.imap import message_build
from kontaktpunkt.testing.smtp import free_port

FLAG = "$KontaktpunktImported"


def test_unprocessed_lists_the_new_mails_oldest_first_up_to_the_limit(
    imap_config_plain, imap_settings
):
    uids = [imap_settings.append(message_build(subject=f"Nr. {n}")) for n in range(3)]

    with mailbox_open(imap_config_plain) as mailbox:
        assert mailbox.unprocessed(limit=10) == uids
        assert mailbox.unprocessed(limit=2) == uids[:2]


def test_a_processed_mail_is_flagged_seen_and_not_listed_again_by_a_new_connection(
    imap_config_plain, imap_settings
):
    first = imap_settings.append(message_build(subject="eins"))
    second = imap_settings.append(message_build(subject="zwei"))

    with mailbox_open(imap_config_plain) as mailbox:
        mailbox.mark_processed(first)

    with mailbox_open(imap_config_plain) as mailbox:
        assert mailbox.unprocessed(limit=10) == [second]
    assert {FLAG, "\\Seen"} <= imap_settings.flags(first)
    assert imap_settings.uids() == [first, second]  # flagged, not removed


def test_fetch_reads_the_whole_mail_without_marking_it_seen(imap_config_plain, imap_settings):
    message = message_build(subject="Lärm", text="Nachts laut.")
    uid = imap_settings.append(message)

    with mailbox_open(imap_config_plain) as mailbox:
        fetched = mailbox.fetch(uid, max_bytes=10_000_000)

    assert fetched is not None and fetched.complete and fetched.uid == uid
    assert fetched.raw == message.as_bytes().replace(b"\n", b"\r\n")
    assert fetched.size == len(fetched.raw)
    assert fetched.received_at is not None
    assert abs(fetched.received_at - django_timezone.now()) < timedelta(minutes=1)
    assert "\\Seen" not in imap_settings.flags(uid)


def test_a_mail_above_the_limit_is_fetched_header_only(imap_config_plain, imap_settings):
    uid = imap_settings.append(message_build(text="x" * 5000))

    with mailbox_open(imap_config_plain) as mailbox:
        fetched = mailbox.fetch(uid, max_bytes=1000)

    assert fetched is not None and not fetched.complete
    assert fetched.size > 5000 and b"Subject:" in fetched.raw and b"xxxx" not in fetched.raw


def test_fetching_a_mail_that_is_gone_gives_none(imap_config_plain, imap_settings):
    imap_settings.append(message_build())

    with mailbox_open(imap_config_plain) as mailbox:
        assert mailbox.fetch(999, max_bytes=1000) is None


def test_with_a_processed_folder_mails_are_moved_into_it_and_it_is_created(
    imap_config_plain, imap_settings
):
    config = replace(imap_config_plain, processed_folder="Übernommen")
    uid = imap_settings.append(message_build())
    later = imap_settings.append(message_build())

    with mailbox_open(config) as mailbox:
        assert "MOVE" in mailbox.capabilities
        mailbox.mark_processed(uid)
    with mailbox_open(config) as mailbox:  # the folder exists now: no error the second time
        assert mailbox.unprocessed(limit=10) == [later]

    assert "&ANw-bernommen" in imap_settings.folders()
    assert imap_settings.uids() == [later]
    assert len(imap_settings.uids(mailbox="&ANw-bernommen")) == 1


@pytest.mark.parametrize(
    ("capabilities", "left_in_inbox"),
    [
        (frozenset({"IMAP4REV1"}), 1),  # an old server: copied and marked \Deleted, never expunged
        (frozenset({"IMAP4REV1", "UIDPLUS"}), 0),  # UID EXPUNGE removes exactly this mail
    ],
)
def test_without_move_a_processed_mail_is_copied_and_deleted(
    imap_config_plain, imap_settings, capabilities, left_in_inbox
):
    config = replace(imap_config_plain, processed_folder="Erledigt")
    uid = imap_settings.append(message_build())
    other = imap_settings.append(message_build(), flags="(\\Deleted)")  # someone else's choice

    with mailbox_open(config) as mailbox:
        mailbox.capabilities = capabilities
        mailbox.mark_processed(uid)
        assert mailbox.unprocessed(limit=10) == []

    assert imap_settings.uids() == ([uid, other] if left_in_inbox else [other])
    if left_in_inbox:
        assert "\\Deleted" in imap_settings.flags(uid)
    assert len(imap_settings.uids(mailbox="Erledigt")) == 1


def test_implicit_tls_connects_with_a_trusted_certificate(imap_settings, dovecot):
    config = ImapConfig(
        host="127.0.0.1",
        port=dovecot.tls_port,
        user=imap_settings.user,
        password=imap_settings.password,
        security=Security.TLS,
        ssl_context=dovecot.ssl_context(),
    )
    uid = imap_settings.append(message_build())

    with mailbox_open(config) as mailbox:
        assert isinstance(mailbox.connection.sock, ssl.SSLSocket)
        assert mailbox.unprocessed(limit=5) == [uid]


def test_implicit_tls_refuses_a_certificate_it_does_not_trust(imap_settings, dovecot):
    config = ImapConfig(
        host="127.0.0.1",
        port=dovecot.tls_port,
        user=imap_settings.user,
        password=imap_settings.password,
        security=Security.TLS,
    )

    with pytest.raises(ssl.SSLCertVerificationError), mailbox_open(config):
        pass


def test_starttls_upgrades_the_plain_connection_before_logging_in(imap_settings, dovecot):
    config = ImapConfig(
        host="127.0.0.1",
        port=dovecot.port,
        user=imap_settings.user,
        password=imap_settings.password,
        security=Security.STARTTLS,
        ssl_context=dovecot.ssl_context(),
    )

    with mailbox_open(config) as mailbox:
        assert isinstance(mailbox.connection.sock, ssl.SSLSocket)
        assert mailbox.unprocessed(limit=5) == []


def test_a_wrong_password_is_refused(imap_config_plain):
    with (
        pytest.raises(ImapError, match="login"),
        mailbox_open(replace(imap_config_plain, password="falsch")),
    ):
        pass


def test_an_unreachable_server_raises_a_connection_error(imap_config_plain):
    with (
        pytest.raises(ConnectionRefusedError),
        mailbox_open(replace(imap_config_plain, port=free_port())),
    ):
        pass


def test_a_missing_mailbox_is_refused(imap_config_plain):
    with (
        pytest.raises(ImapError, match="SELECT"),
        mailbox_open(replace(imap_config_plain, mailbox="Gibtsnicht")),
    ):
        pass


def test_a_non_ascii_password_logs_in_with_sasl_plain(dovecot):
    account = dovecot.account_add(password="Grüße-2026")
    config = ImapConfig(
        host="127.0.0.1",
        port=dovecot.port,
        user=account.user,
        password=account.password,
        security=Security.PLAIN,
    )

    with mailbox_open(config) as mailbox:
        assert mailbox.unprocessed(limit=1) == []


def test_the_configuration_is_off_without_a_host(settings):
    settings.KP_IMAP_HOST = " "

    assert imap_config() is None


def test_the_configuration_comes_from_the_settings(settings):
    settings.KP_IMAP_HOST = "imap.stadt.example"
    settings.KP_IMAP_PORT = 993
    settings.KP_IMAP_SECURITY = "TLS"
    settings.KP_IMAP_USER = "kod@stadt.example"
    settings.KP_IMAP_PASSWORD = "geheim"
    settings.KP_IMAP_MAILBOX = "INBOX/KOD"
    settings.KP_IMAP_PROCESSED_FLAG = "$Kp"
    settings.KP_IMAP_PROCESSED_FOLDER = "Erledigt"

    config = imap_config()

    assert config == ImapConfig(
        host="imap.stadt.example",
        port=993,
        user="kod@stadt.example",
        password="geheim",
        security=Security.TLS,
        mailbox="INBOX/KOD",
        processed_flag="$Kp",
        processed_folder="Erledigt",
    )
    assert "geheim" not in repr(config)


def test_an_unknown_security_setting_is_refused(settings):
    settings.KP_IMAP_HOST = "imap.stadt.example"
    settings.KP_IMAP_SECURITY = "ssl3"

    with pytest.raises(ImproperlyConfigured, match="tls, starttls or plain"):
        imap_config()


@pytest.mark.parametrize("flag", ["\\Seen", "two words", "$Kp)(", ""])
def test_a_processed_flag_that_is_no_keyword_is_refused(flag):
    with pytest.raises(ImproperlyConfigured):
        ImapConfig(host="h", port=1, user="u", password="p", processed_flag=flag)


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("INBOX", '"INBOX"'),
        ("Übernommen", '"&ANw-bernommen"'),
        ("~peter/mail/台北/日本語", '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'),  # RFC 3501 5.1.3
        ("A&B", '"A&-B"'),
        ('Sag "Hallo"', '"Sag \\"Hallo\\""'),
    ],
)
def test_mailbox_names_are_encoded_in_modified_utf7_and_quoted(name, encoded):
    assert mailbox_name(name) == encoded


def test_internaldate_is_read_with_its_offset_whatever_the_locale():
    line = b'1 (UID 7 RFC822.SIZE 9 INTERNALDATE " 3-Mar-2026 10:05:00 +0100")'

    assert internaldate(line) == datetime(2026, 3, 3, 10, 5, tzinfo=timezone(timedelta(hours=1)))
    assert internaldate(line) == datetime(2026, 3, 3, 9, 5, tzinfo=UTC)
    assert internaldate(b"1 (UID 7)") is None


def test_imaplib_errors_are_not_swallowed_by_the_context_manager(imap_config_plain):
    with pytest.raises(imaplib.IMAP4.error), mailbox_open(imap_config_plain) as mailbox:
        mailbox.connection.uid("NOSUCHCOMMAND")
