"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1 on a free port, collecting what it receives.

Registered as a pytest plugin by the root conftest.py. `smtp_server` starts the server; `smtp_mail`
also points Django's SMTP backend at it (EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT). `stop()` and
`start()` take the server down and bring it back on the same port; addresses in `refuse` are
answered with 550. `SmtpProcess` runs the same server in a process of its own (benchmarks, and tests
whose worker is another process).
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django import Settings

from kontaktpunkt.core.mail import SMTP_SESSION

HOST = "127.0.0.1"
# aiosmtpd logs every command it receives; the tests need only failures.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    peer: tuple[str, int] = ("", 0)  # the client's address and port: one per SMTP connection

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]).strip()

    def body(self, subtype: str = "plain") -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        return "" if part is None else str(part.get_content())


class _Collector:
    def __init__(self, inbox: list[ReceivedMail], refuse: set[str]) -> None:
        self.inbox = inbox
        self.refuse = refuse

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        peer = (str(session.peer[0]), int(session.peer[1]))
        self.inbox.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message, peer))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    host: str = HOST
    inbox: list[ReceivedMail] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    _controller: Controller | None = None

    def start(self) -> None:
        if self._controller is None:
            controller = Controller(
                _Collector(self.inbox, self.refuse), hostname=self.host, port=self.port
            )
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while len(self.inbox) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.inbox


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(port=free_port())
    server.start()
    try:
        yield server
    finally:
        SMTP_SESSION.close()  # the worker's kept connection ends with its server, not in a later test
        server.stop()


@pytest.fixture
def smtp_process(tmp_path: Path) -> Iterator[SmtpProcess]:
    """aiosmtpd in a process of its own (for a worker that is another process)."""
    server = SmtpProcess(port=free_port(), received_path=tmp_path / "received.txt")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_mail(settings: Settings, smtp_server: SmtpServer) -> SmtpServer:
    """Django sends through the real SMTP backend to `smtp_server`."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return smtp_server


SINK = """
import re, sys
from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:[ \\t]*(\\S+)", re.IGNORECASE | re.MULTILINE)

class Sink:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1)

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\\r\\n\\r\\n", 1)[0]  # a mail server stores, it does not parse
        found = MESSAGE_ID.search(head)
        self.file.write((found.group(1).decode() if found else "-") + "\\n")
        return "250 Message accepted for delivery"

controller = Controller(Sink(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""


@dataclass
class SmtpProcess:
    """aiosmtpd in a process of its own, writing the Message-ID of each mail it receives to a file.

    For benchmarks and tests whose sender is another process or must not share this process's CPU
    with the server. `stop()`/`start()` take it down and bring it back on the same port.
    """

    port: int
    received_path: Path
    host: str = HOST
    _process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        if self._process is not None:
            return
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", SINK, str(self.port), str(self.received_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            process.kill()
            raise RuntimeError("the SMTP server process did not start")
        self._process = process

    def stop(self) -> None:
        if self._process is None:
            return
        assert self._process.stdin is not None
        self._process.stdin.close()  # the server stops when its standard input ends
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def message_ids(self) -> list[str]:
        if not self.received_path.exists():
            return []
        return self.received_path.read_text().split()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.message_ids()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.message_ids()

    def settings(self) -> dict[str, object]:
        """Django settings that send through this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }
