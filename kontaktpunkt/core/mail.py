"""Outgoing e-mail through the job queue: enqueued in the caller's transaction, sent by the worker.

A mail is never sent inside a request. `mail_enqueue` writes a `mail.send` job whose idempotency key
and Message-ID both derive from one key per message, so that enqueuing the same message twice makes
one job, and a repeat delivery after a worker crash carries the same Message-ID for the receiver to
recognise. The handler sends through Django's configured e-mail backend (SMTP in production:
EMAIL_HOST, EMAIL_PORT); a failure raises, so that the queue retries with backoff.

The worker keeps its SMTP connection open between mails (`SmtpSession`): a batch of mails costs one
connection and one login, not one per mail. A connection idle for longer than SMTP_IDLE_S, or made
with other settings, is closed and opened again; one the server dropped is reopened once.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.template.loader import render_to_string
from django.utils import translation

from kontaktpunkt.core.jobs import PermanentJobError, job_enqueue, job_handler
from kontaktpunkt.core.models import Job

KIND = "mail.send"
REFERENCE_HEADER = "X-Kontaktpunkt-Reference"
# Reopen after this long idle: below the idle timeouts of common mail servers (Postfix 300 s).
SMTP_IDLE_S = 10.0
_UNSAFE = re.compile(r"[^A-Za-z0-9.\-_]+")


def mail_message_id(key: str) -> str:
    """A stable Message-ID for the message with idempotency `key`: the same key, the same id."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "localhost"
    return f"<{_UNSAFE.sub('.', key).strip('.')}@{domain}>"


def mail_render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The text and HTML bodies from `<template>.txt` and `<template>.html`, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", dict(context))
        html = render_to_string(f"{template}.html", dict(context))
    return text, html


def mail_enqueue(
    *,
    key: str,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    reference: str = "",
    headers: Mapping[str, str] | None = None,
) -> Job:
    """Write one `mail.send` job in the current transaction; the same `key` enqueues it only once."""
    all_headers = {
        "Message-ID": mail_message_id(key),
        "Auto-Submitted": "auto-generated",
        **(headers or {}),
    }
    if reference:
        all_headers[REFERENCE_HEADER] = reference
    payload = {
        "to": sorted(set(to)),
        "subject": subject,
        "text": text,
        "html": html,
        "headers": all_headers,
    }
    return job_enqueue(kind=KIND, payload=payload, idempotency_key=f"mail:{key}")


def mail_build(payload: Mapping[str, Any]) -> EmailMultiAlternatives:
    """The message a `mail.send` payload describes; a payload without recipients is refused for good."""
    to = [str(address) for address in payload.get("to") or []]
    if not to:
        raise PermanentJobError("mail without recipients")
    message = EmailMultiAlternatives(
        subject=str(payload.get("subject", "")),
        body=str(payload.get("text", "")),
        from_email=str(payload.get("from") or settings.DEFAULT_FROM_EMAIL),
        to=to,
        headers={str(k): str(v) for k, v in (payload.get("headers") or {}).items()},
    )
    if payload.get("html"):
        message.attach_alternative(str(payload["html"]), "text/html")
    return message


class SmtpSession(threading.local):
    """The worker thread's open connection to the mail server, reused from one mail to the next."""

    def __init__(self) -> None:
        self.backend: BaseEmailBackend | None = None
        self.settings: tuple[Any, ...] = ()
        self.used = 0.0

    def send(self, message: EmailMultiAlternatives) -> int:
        """Send over the open connection; one the server dropped in between is reopened once."""
        backend = self._backend()
        if not isinstance(backend, SmtpBackend):  # files, memory: nothing to keep open
            sent: int = backend.send_messages([message])
            return sent
        try:
            return self._send(message)
        except smtplib.SMTPServerDisconnected:
            self.close()
            return self._send(message)

    def _send(self, message: EmailMultiAlternatives) -> int:
        backend = self._backend()
        backend.open()
        try:
            sent = backend.send_messages([message])
        except smtplib.SMTPRecipientsRefused:
            raise
        except Exception:
            self.close()  # the connection's state is unknown: the next mail starts afresh
            raise
        self.used = time.monotonic()
        return sent

    def _backend(self) -> BaseEmailBackend:
        wanted = (
            settings.EMAIL_BACKEND,
            getattr(settings, "EMAIL_HOST", ""),
            getattr(settings, "EMAIL_PORT", 0),
            getattr(settings, "EMAIL_HOST_USER", ""),
            getattr(settings, "EMAIL_USE_TLS", False),
            getattr(settings, "EMAIL_USE_SSL", False),
        )
        stale = time.monotonic() - self.used > SMTP_IDLE_S
        if self.backend is None or wanted != self.settings or stale:
            self.close()
            self.backend = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
            self.settings = wanted
            self.used = time.monotonic()
        return self.backend

    def close(self) -> None:
        if self.backend is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):  # a broken one is gone anyway
                self.backend.close()
        self.backend = None


SMTP_SESSION = SmtpSession()


@job_handler(KIND)
def mail_send(payload: dict[str, Any]) -> dict[str, Any]:
    """Send one mail. Connection problems raise (the queue retries); refused recipients are final."""
    message = mail_build(payload)
    try:
        sent = SMTP_SESSION.send(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentJobError(f"recipients refused: {sorted(exc.recipients)}") from exc
    if not sent:
        raise ConnectionError("the mail server did not accept the message")
    return {"message_id": message.extra_headers.get("Message-ID", ""), "to": message.to}
