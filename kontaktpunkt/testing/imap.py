"""A real IMAP server for the tests: Debian's dovecot on 127.0.0.1, with its own configuration,
password files and maildirs in a temporary directory. The system's dovecot is neither used nor
needed; root or not, both work (as root, dovecot's own users dovenull and dovecot run it).

Register the fixtures by importing them in a conftest.py (kontaktpunkt/mailin/tests/conftest.py does).

- `dovecot`: one server per test session — per xdist worker, each with its own free ports and
  directory. Plain IMAP with STARTTLS on `port`, implicit TLS on `tls_port`, with a self-signed
  certificate for 127.0.0.1 that `ssl_context()` trusts. Stopped at the end of the session.
- `imap_account`: a fresh user with an empty mailbox for each test (`append` puts a message in,
  as a mail client or delivery agent would; `uids`, `flags`, `folders` look at it afterwards).
- `imap_settings`: settings.KP_IMAP_* pointing at that account, plain IMAP.

`message_build` makes a message as a person's mail program would send it. Without dovecot the
fixtures skip, under CI=true they fail.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import cast

import pytest
from pytest_django import Settings

from kontaktpunkt.testing.smtp import free_port

HOST = "127.0.0.1"
DOVECOT = Path(os.environ.get("KP_DOVECOT", "/usr/sbin/dovecot"))
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}
START_TIMEOUT_S = 15.0
_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")


@dataclass
class DovecotServer:
    root: Path
    port: int
    tls_port: int
    host: str = HOST
    process: subprocess.Popen[bytes] | None = None
    _accounts: int = 0

    @property
    def cert(self) -> Path:
        return self.root / "cert.pem"

    @property
    def log_path(self) -> Path:
        return self.root / "dovecot.log"

    def start(self) -> None:
        if self.process is not None:
            return
        _certificate(self.root)
        (self.root / "users").mkdir(exist_ok=True)
        mail = self.root / "mail"
        mail.mkdir(exist_ok=True)
        user = _identity()
        if os.geteuid() == 0:  # dovecot refuses to read and write mail as root
            os.chown(mail, user.uid, user.gid)
        config = self.root / "dovecot.conf"
        config.write_text(_config(self, user))
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - a fixed program and our own config
            [str(DOVECOT), "-F", "-c", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._wait_until_listening()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def account_add(self, user: str = "", password: str = "") -> ImapAccount:
        """A new user with an empty mailbox.

        Each user has a password file of its own: dovecot re-reads a changed file at most once per
        second, but reads a new one at once.
        """
        self._accounts += 1
        name = user or f"kod{self._accounts}-{secrets.token_hex(3)}"
        secret = password or secrets.token_urlsafe(12)
        passwd = self.root / "users" / name
        passwd.write_text(f"{name}:{{PLAIN}}{secret}::::::\n")
        passwd.chmod(0o644)
        return ImapAccount(server=self, user=name, password=secret)

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                break
            if all(_listening(self.host, port) for port in (self.port, self.tls_port)):
                return
            time.sleep(0.02)
        log = self.log()
        self.stop()
        raise RuntimeError(f"dovecot did not start on {self.host}:{self.port}:\n{log}")


@dataclass(frozen=True)
class ImapAccount:
    server: DovecotServer
    user: str
    password: str = field(repr=False)

    def connect(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4(self.server.host, self.server.port, timeout=10)
        connection.login(self.user, self.password)
        return connection

    def append(
        self,
        message: Message | bytes,
        *,
        mailbox: str = "INBOX",
        flags: str = "",
    ) -> int:
        """Put a message into the mailbox, as delivery would; returns its UID."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        connection = self.connect()
        try:
            response = connection.append(mailbox, flags, "", raw)
            status, data = cast(tuple[str, list[bytes]], response)
        finally:
            connection.logout()
        assert status == "OK", data
        found = _APPENDUID.search(data[0] or b"")
        assert found is not None, data
        return int(found.group(1))

    def uids(self, *criteria: str, mailbox: str = "INBOX") -> list[int]:
        """UIDs of the messages matching the SEARCH criteria (all when none are given)."""
        connection = self.connect()
        try:
            connection.select(f'"{mailbox}"', readonly=True)
            status, data = connection.uid("SEARCH", *(criteria or ("ALL",)))
        finally:
            connection.logout()
        assert status == "OK", data
        return sorted(int(uid) for uid in (data[0] or b"").split())

    def flags(self, uid: int, *, mailbox: str = "INBOX") -> set[str]:
        connection = self.connect()
        try:
            connection.select(f'"{mailbox}"', readonly=True)
            status, data = connection.uid("FETCH", str(uid), "(FLAGS)")
        finally:
            connection.logout()
        assert status == "OK", data
        found = re.search(rb"FLAGS \(([^)]*)\)", data[0] or b"")
        return set(found.group(1).decode().split()) if found else set()

    def folders(self) -> list[str]:
        connection = self.connect()
        try:
            status, data = connection.list()
        finally:
            connection.logout()
        assert status == "OK", data
        names = []
        for line in data:
            text = line.decode() if isinstance(line, bytes) else ""
            names.append(text.rsplit(" ", 1)[-1].strip('"'))
        return sorted(names)


def message_build(
    *,
    sender: str = "Erika Mustermann <erika.mustermann@example.org>",
    to: str = "kod@stadt.example",
    subject: str = "Müll am Spielplatz",
    text: str = "Am Spielplatz liegen seit Tagen Glasscherben.",
    html: str = "",
    headers: dict[str, str] | None = None,
    attachments: Sequence[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """A message as a mail program sends it: text and/or HTML, attachments (name, type, bytes)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="example.org")
    for name, value in (headers or {}).items():
        del message[name]
        message[name] = value
    if text or not html:
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
    else:
        message.set_content(html, subtype="html")
    for name, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    if not DOVECOT.exists():
        reason = f"dovecot not found at {DOVECOT} (apt-get install dovecot-imapd)"
        if CI:
            pytest.fail(f"{reason}; CI=true: the IMAP tests must run", pytrace=False)
        pytest.skip(reason)
    # A short path of our own: dovecot's sockets live below it (at most 108 characters).
    root = Path(tempfile.mkdtemp(prefix="kp-dovecot-"))
    root.chmod(0o755)  # dovecot's unprivileged processes read the password file and certificate
    server = DovecotServer(root=root, port=free_port(), tls_port=free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_account(dovecot: DovecotServer) -> ImapAccount:
    return dovecot.account_add()


@pytest.fixture
def imap_settings(settings: Settings, imap_account: ImapAccount) -> ImapAccount:
    """settings.KP_IMAP_* point at a fresh account on the test server, over plain IMAP."""
    settings.KP_IMAP_HOST = imap_account.server.host
    settings.KP_IMAP_PORT = imap_account.server.port
    settings.KP_IMAP_SECURITY = "plain"
    settings.KP_IMAP_USER = imap_account.user
    settings.KP_IMAP_PASSWORD = imap_account.password
    settings.KP_IMAP_MAILBOX = "INBOX"
    settings.KP_IMAP_PROCESSED_FLAG = "$KontaktpunktImported"
    settings.KP_IMAP_PROCESSED_FOLDER = ""
    return imap_account


# --------------------------------------------------------------------------- set-up


@dataclass(frozen=True)
class _Identity:
    login_user: str
    internal_user: str
    internal_group: str
    uid: int
    gid: int
    root: bool


def _identity() -> _Identity:
    """Who dovecot's processes run as: as root its own system users, otherwise the caller."""
    if os.geteuid() == 0:
        mail = pwd.getpwnam("dovecot")
        return _Identity("dovenull", "dovecot", "dovecot", mail.pw_uid, mail.pw_gid, root=True)
    me = pwd.getpwuid(os.getuid())
    group = grp.getgrgid(me.pw_gid).gr_name
    return _Identity(me.pw_name, me.pw_name, group, me.pw_uid, me.pw_gid, root=False)


def _config(server: DovecotServer, user: _Identity) -> str:
    root = server.root
    # Without root, dovecot cannot chroot its login and anvil processes.
    no_chroot = "" if user.root else "  chroot =\n"
    return f"""# Written by kontaktpunkt/testing/imap.py for one test session. No delay after a failed login
# (auth_failure_delay, and anvil's auth penalty: its socket is closed with mode 0).
protocols = imap
listen = {server.host}
base_dir = {root}/run
state_dir = {root}/state
instance_name = kp-dovecot-{server.port}
log_path = {server.log_path}
default_login_user = {user.login_user}
default_internal_user = {user.internal_user}
default_internal_group = {user.internal_group}
first_valid_uid = {user.uid}
first_valid_gid = {user.gid}
auth_mechanisms = plain login
auth_failure_delay = 0
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
mail_location = maildir:{root}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users/%u
}}
userdb {{
  driver = static
  args = uid={user.uid} gid={user.gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = {server.host}
    port = {server.port}
  }}
  inet_listener imaps {{
    address = {server.host}
    port = {server.tls_port}
    ssl = yes
  }}
{no_chroot}}}
service anvil {{
{no_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def _certificate(root: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for two days."""
    subprocess.run(  # noqa: S603 - a fixed program with fixed arguments
        [
            OPENSSL,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(root / "key.pem"),
            "-out",
            str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
