from __future__ import annotations

import re
from typing import Any

import pytest

from kontaktpunkt.core.jobs import PermanentJobError, job_run, jobs_claim, jobs_run_due
from kontaktpunkt.core.mail import (
    REFERENCE_HEADER,
    mail_build,
    mail_enqueue,
    mail_message_id,
    mail_render,
    mail_send,
)
from kontaktpunkt.core.models import Job, JobState

pytestmark = pytest.mark.django_db


def _payload(**overrides) -> dict[str, Any]:
    job = mail_enqueue(
        key=overrides.pop("key", "test.KP-2026-000001.ack"),
        to=overrides.pop("to", ["leitung@kod.example"]),
        subject="Überfällig: Anliegen KP-2026-000001",
        text="Hallo,\nbitte kümmern.",
        html="<p>Hallo, <strong>bitte kümmern</strong>.</p>",
        reference="KP-2026-000001",
    )
    payload: dict[str, Any] = job.payload
    return payload


def _run_one() -> Job:
    (job,) = jobs_claim(worker="w1")
    job_run(job, worker="w1")
    job.refresh_from_db()
    return job


def test_the_same_message_key_enqueues_one_job():
    first = mail_enqueue(key="k1", to=["a@example.org"], subject="s", text="t")
    second = mail_enqueue(key="k1", to=["b@example.org"], subject="s2", text="t2")

    assert first.pk == second.pk
    assert Job.objects.filter(kind="mail.send").count() == 1
    assert first.idempotency_key == "mail:k1"


def test_the_message_id_is_stable_per_key_and_well_formed(settings):
    settings.DEFAULT_FROM_EMAIL = "Kontaktpunkt <kontaktpunkt@krefeld.example>"

    first = mail_message_id("escalation.KP-2026-000001.v3")

    assert first == mail_message_id("escalation.KP-2026-000001.v3")
    assert first != mail_message_id("escalation.KP-2026-000001.v4")
    assert re.fullmatch(r"<[A-Za-z0-9.\-_]+@krefeld\.example>", first)


def test_a_mail_is_sent_over_smtp_as_german_text_and_html_with_our_headers(smtp_mail):
    payload = _payload()

    result = mail_send(payload)

    (received,) = smtp_mail.inbox
    message = received.message
    assert result is not None
    assert received.rcpt_tos == ["leitung@kod.example"]
    assert received.subject == "Überfällig: Anliegen KP-2026-000001"
    assert received.body("plain").replace("\r\n", "\n").strip() == "Hallo,\nbitte kümmern."
    assert "<strong>bitte kümmern</strong>" in received.body("html")
    assert message[REFERENCE_HEADER] == "KP-2026-000001"
    assert message["Message-ID"] == payload["headers"]["Message-ID"] == result["message_id"]
    assert message["Auto-Submitted"] == "auto-generated"


def test_a_repeated_delivery_carries_the_same_message_id_for_the_receiver_to_recognise(
    smtp_mail,
):
    payload = _payload()

    mail_send(payload)
    mail_send(payload)

    ids = {m.message["Message-ID"] for m in smtp_mail.inbox}
    assert len(smtp_mail.inbox) == 2 and len(ids) == 1


def test_a_mail_job_runs_once_through_the_queue(smtp_mail):
    _payload()

    job = _run_one()

    assert job.state == JobState.DONE and len(smtp_mail.inbox) == 1
    assert jobs_claim(worker="w1") == []


def test_with_the_mail_server_down_the_job_is_queued_again_for_a_retry(smtp_mail):
    smtp_mail.stop()
    _payload()

    job = _run_one()

    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
    assert "Connection refused" in job.last_error or "Errno" in job.last_error
    assert smtp_mail.inbox == []


def test_a_batch_of_mails_goes_over_one_smtp_connection(smtp_mail):
    for n in range(3):
        _payload(key=f"test.batch.{n}", to=[f"buerger{n}@example.org"])

    assert jobs_run_due(worker="w1", limit=10) == 3

    received = smtp_mail.wait_for(3)
    assert len(received) == 3
    assert len({mail.peer for mail in received}) == 1


def test_a_connection_the_mail_server_dropped_is_opened_again_and_the_mail_arrives_once(
    smtp_mail,
):
    _payload(key="test.drop.1")
    _run_one()
    smtp_mail.stop()  # a restart of the mail server drops the worker's open connection
    smtp_mail.start()
    _payload(key="test.drop.2")

    job = _run_one()

    assert job.state == JobState.DONE
    received = smtp_mail.wait_for(2)
    assert len(received) == 2
    assert received[0].peer != received[1].peer
    assert len({mail.message["Message-ID"] for mail in received}) == 2


def test_a_refused_recipient_is_a_permanent_failure(smtp_mail):
    smtp_mail.refuse.add("gibtsnicht@kod.example")
    _payload(to=["gibtsnicht@kod.example"])

    job = _run_one()

    assert job.state == JobState.DEAD and "refused" in job.last_error


def test_a_mail_without_recipients_fails_for_good():
    with pytest.raises(PermanentJobError):
        mail_build({"subject": "x", "text": "y", "to": []})


def test_a_mail_without_html_is_plain_text(smtp_mail):
    mail_send({"to": ["a@example.org"], "subject": "Nur Text", "text": "ohne HTML"})

    (received,) = smtp_mail.inbox
    assert received.message.get_content_type() == "text/plain"


def test_mails_are_rendered_in_german_from_a_text_and_an_html_template():
    from kontaktpunkt.testing.factories import ConcernFactory

    concern = ConcernFactory.create()

    text, html = mail_render(
        "cases/emails/escalation", {"concern": concern, "due_at": None, "url": "http://x/"}
    )

    assert "ist überfällig" in text and "&amp;" not in text
    assert '<a href="http://x/">Vorgang öffnen</a>' in html
