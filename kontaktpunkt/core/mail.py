"""Outgoing e-mail through the job queue: enqueued in the caller's transaction, sent by the worker.

A mail is never sent inside a request. `mail_enqueue` writes a `mail.send` job whose idempotency key
and Message-ID both derive from one key per message, so that enqueuing the same message twice makes
one job, and a repeat delivery after a worker crash carries the same Message-ID for the receiver to
recognise. The handler sends through Django's configured e-mail backend (SMTP in production:
EMAIL_HOST, EMAIL_PORT); a failure raises, so that the queue retries with backoff.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from kontaktpunkt.core.jobs import PermanentJobError, job_enqueue, job_handler
from kontaktpunkt.core.models import Job

KIND = "mail.send"
REFERENCE_HEADER = "X-Kontaktpunkt-Reference"
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


@job_handler(KIND)
def mail_send(payload: dict[str, Any]) -> dict[str, Any]:
    """Send one mail. Connection problems raise (the queue retries); refused recipients are final."""
    message = mail_build(payload)
    connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
    try:
        sent = connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentJobError(f"recipients refused: {sorted(exc.recipients)}") from exc
    if not sent:
        raise ConnectionError("the mail server did not accept the message")
    return {"message_id": message.extra_headers.get("Message-ID", ""), "to": message.to}
