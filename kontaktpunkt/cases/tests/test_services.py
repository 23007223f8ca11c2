from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from kontaktpunkt.accounts.models import ContactChannel, Role, Unit
from kontaktpunkt.cases.attachments import upload_clean
from kontaktpunkt.cases.models import Attachment
from kontaktpunkt.cases.services import (
    attachment_add,
    concern_assign,
    concern_categorise,
    concern_transition,
    concerns_escalate_overdue,
    escalation_recipients,
    reply_text_fill,
)
from kontaktpunkt.core.errors import ConflictError
from kontaktpunkt.core.models import Job
from kontaktpunkt.intake.models import Category, Concern, ConcernEvent, EventKind, Status
from kontaktpunkt.intake.services import ChangeRefused, concern_add_note, concern_merge
from kontaktpunkt.testing.factories import ConcernFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "green").save(out, "PNG")
    return out.getvalue()


def _events(concern: Concern) -> list[str]:
    return list(concern.events.order_by("id").values_list("kind", flat=True))


# --- status workflow ------------------------------------------------------------------------------


def test_a_transition_changes_the_status_and_writes_a_status_event_with_the_new_version(
    kod_officer,
):
    concern = ConcernFactory.create(status=Status.ASSIGNED)

    updated = concern_transition(
        concern=concern, to=Status.IN_PROGRESS, by=kod_officer, expected_version=1
    )

    assert (updated.status, updated.version) == (Status.IN_PROGRESS, 2)
    event = concern.events.get()
    assert event.kind == EventKind.STATUS and event.version == 2 and event.actor == kod_officer
    assert event.changes == {"status": ["assigned", "in_progress"]}


def test_a_transition_outside_the_workflow_is_refused_and_changes_nothing(kod_lead):
    concern = ConcernFactory.create(status=Status.NEW)

    with pytest.raises(ChangeRefused, match=r"kann nicht|cannot"):
        concern_transition(concern=concern, to=Status.CLOSED, by=kod_lead, expected_version=1)

    concern.refresh_from_db()
    assert (concern.status, concern.version, concern.events.count()) == (Status.NEW, 1, 0)


def test_an_officer_may_not_reopen_a_closed_concern_but_the_lead_may(kod_officer, kod_lead):
    concern = ConcernFactory.create(status=Status.CLOSED, closed_at=timezone.now())

    with pytest.raises(ChangeRefused):
        concern_transition(
            concern=concern, to=Status.IN_PROGRESS, by=kod_officer, expected_version=1
        )
    reopened = concern_transition(
        concern=concern, to=Status.IN_PROGRESS, by=kod_lead, expected_version=1
    )

    assert reopened.status == Status.IN_PROGRESS
    assert reopened.closed_at is None and reopened.resolved_at is None


def test_resolving_sets_the_resolved_time(kod_officer):
    concern = ConcernFactory.create(status=Status.IN_PROGRESS)

    resolved = concern_transition(
        concern=concern, to=Status.RESOLVED, by=kod_officer, expected_version=1
    )

    assert resolved.resolved_at is not None


def test_a_transition_on_a_stale_version_is_refused_with_the_current_version(kod_officer):
    concern = ConcernFactory.create(status=Status.ASSIGNED)
    concern_add_note(concern=concern, text="dazwischen", public=False, by=kod_officer)

    with pytest.raises(ConflictError) as conflict:
        concern_transition(concern=concern, to=Status.RESOLVED, by=kod_officer, expected_version=1)

    assert conflict.value.current_version == 2
    assert Concern.objects.get(pk=concern.pk).status == Status.ASSIGNED


# --- assignment -------------------------------------------------------------------------------------


def test_assigning_a_new_concern_to_a_unit_and_a_member_makes_it_assigned(desk_clerk, kod_officer):
    concern = ConcernFactory.create(status=Status.NEW)
    kod = Unit.objects.get(slug="kod")

    updated = concern_assign(
        concern=concern, unit=kod, assignee=kod_officer, by=desk_clerk, expected_version=1
    )

    assert (updated.responsible_unit, updated.assignee, updated.status) == (
        kod,
        kod_officer,
        Status.ASSIGNED,
    )
    event = concern.events.get()
    assert event.kind == EventKind.ASSIGNED
    assert event.changes["assignee"] == [None, {"id": kod_officer.pk, "label": str(kod_officer)}]
    assert event.changes["status"] == ["new", "assigned"]


def test_reassigning_work_in_progress_keeps_its_status(desk_clerk):
    concern = ConcernFactory.create(status=Status.IN_PROGRESS)
    streetwork = Unit.objects.get(slug="streetwork")

    updated = concern_assign(
        concern=concern, unit=streetwork, assignee=None, by=desk_clerk, expected_version=1
    )

    assert (updated.responsible_unit, updated.status) == (streetwork, Status.IN_PROGRESS)


def test_a_person_outside_the_unit_cannot_be_assigned(desk_clerk, streetworker):
    concern = ConcernFactory.create()

    with pytest.raises(ChangeRefused):
        concern_assign(
            concern=concern,
            unit=Unit.objects.get(slug="kod"),
            assignee=streetworker,
            by=desk_clerk,
            expected_version=1,
        )

    assert Concern.objects.get(pk=concern.pk).assignee is None


def test_a_member_whose_role_does_not_work_concerns_cannot_be_assigned(desk_clerk, analyst):
    concern = ConcernFactory.create()

    with pytest.raises(ChangeRefused):
        concern_assign(
            concern=concern,
            unit=Unit.objects.get(slug="leadership"),
            assignee=analyst,
            by=desk_clerk,
            expected_version=1,
        )

    assert Concern.objects.get(pk=concern.pk).assignee is None


def test_an_inactive_member_cannot_be_assigned(desk_clerk, kod_officer):
    kod_officer.is_active = False
    kod_officer.save()

    with pytest.raises(ChangeRefused):
        concern_assign(
            concern=ConcernFactory.create(),
            unit=Unit.objects.get(slug="kod"),
            assignee=kod_officer,
            by=desk_clerk,
            expected_version=1,
        )


def test_a_closed_concern_cannot_be_assigned(desk_clerk):
    concern = ConcernFactory.create(status=Status.CLOSED)

    with pytest.raises(ChangeRefused):
        concern_assign(
            concern=concern,
            unit=Unit.objects.get(slug="kod"),
            assignee=None,
            by=desk_clerk,
            expected_version=1,
        )


# --- merge ------------------------------------------------------------------------------------------


def test_merging_points_the_duplicate_to_the_original_and_writes_both_timelines(desk_clerk):
    original = ConcernFactory.create(status=Status.IN_PROGRESS)
    duplicate = ConcernFactory.create(status=Status.NEW)
    concern_add_note(concern=duplicate, text="vorher", public=False, by=desk_clerk)

    merged = concern_merge(
        duplicate=duplicate, original=original, by=desk_clerk, expected_version=2
    )

    original.refresh_from_db()
    assert (merged.status, merged.duplicate_of, merged.version) == (Status.DUPLICATE, original, 3)
    assert _events(merged) == [EventKind.NOTE, EventKind.MERGED]
    assert _events(original) == [EventKind.MERGED]
    assert original.status == Status.IN_PROGRESS and original.version == 2
    dup_event = merged.events.get(kind=EventKind.MERGED)
    assert dup_event.changes["duplicate_of"][1]["label"] == original.reference
    assert original.events.get().changes["duplicates"][1]["label"] == duplicate.reference
    assert Concern.objects.count() == 2 and ConcernEvent.objects.count() == 3


def test_a_concern_cannot_be_merged_into_itself_or_into_a_duplicate_or_when_closed(desk_clerk):
    original = ConcernFactory.create()
    earlier_duplicate = ConcernFactory.create(status=Status.DUPLICATE, duplicate_of=original)
    closed = ConcernFactory.create(status=Status.CLOSED)
    fresh = ConcernFactory.create()

    for duplicate, target in [(fresh, fresh), (fresh, earlier_duplicate), (closed, original)]:
        with pytest.raises(ChangeRefused):
            concern_merge(duplicate=duplicate, original=target, by=desk_clerk)

    assert ConcernEvent.objects.count() == 0


def test_a_merge_on_a_stale_version_is_refused(desk_clerk):
    original, duplicate = ConcernFactory.create(), ConcernFactory.create(version=4)

    with pytest.raises(ConflictError):
        concern_merge(duplicate=duplicate, original=original, by=desk_clerk, expected_version=3)

    assert Concern.objects.get(pk=duplicate.pk).duplicate_of is None


# --- reply templates ----------------------------------------------------------------------------


def test_a_reply_template_gets_its_placeholders_filled_in_german():
    concern = ConcernFactory.create(status=Status.IN_PROGRESS)

    assert concern.category is not None
    text = reply_text_fill(
        body="{reference} / {category} / {status} / {unit} / {date}",
        concern=concern,
        today=date(2026, 3, 4),
    )

    assert text == (
        f"{concern.reference} / {concern.category.name} / in Bearbeitung / "
        "Kommunaler Ordnungsdienst / 04.03.2026"
    )


@pytest.mark.parametrize(
    "body", ["{unknown} bleibt", "{0} und {reference.attr}", "offen { und } zu", "{{reference}}"]
)
def test_unknown_placeholders_and_stray_braces_do_not_crash(body):
    concern = ConcernFactory.create(category=None, responsible_unit=None)

    text = reply_text_fill(body=body, concern=concern)

    assert "{" in text or "}" in text


# --- attachments ---------------------------------------------------------------------------------


def test_an_attachment_is_stored_under_a_random_name_with_its_event(kod_officer):
    concern = ConcernFactory.create()
    upload = upload_clean(data=_png(), name="Tatort Müller.png")

    attachment = attachment_add(concern=concern, upload=upload, by=kod_officer, expected_version=1)

    assert "Müller" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert attachment.original_name == "Tatort Müller.png"
    assert default_storage.exists(attachment.file.name)
    event = concern.events.get()
    assert event.changes == {"attachment": [None, "Tatort Müller.png"]} and event.version == 2


def test_a_stale_attachment_is_refused_and_leaves_no_file_behind(kod_officer, settings):
    concern = ConcernFactory.create(version=2)
    upload = upload_clean(data=_png(), name="x.png")

    with pytest.raises(ConflictError):
        attachment_add(concern=concern, upload=upload, by=kod_officer, expected_version=1)

    assert Attachment.objects.count() == 0
    stored = list((settings.MEDIA_ROOT).rglob("*.png")) if settings.MEDIA_ROOT.exists() else []
    assert stored == []


# --- escalation -----------------------------------------------------------------------------------


def _overdue(**kwargs) -> Concern:
    return ConcernFactory.create(due_at=timezone.now() - timedelta(hours=2), **kwargs)


def _lead(email: str):
    return MembershipFactory.create(user=UserFactory.create(email=email), role=Role.KOD_LEAD).user


def test_an_overdue_concern_is_escalated_once_with_an_event_and_one_mail_to_the_leads():
    _lead("leitung1@kod.example")
    _lead("leitung2@kod.example")
    concern = _overdue(status=Status.ASSIGNED)

    first = concerns_escalate_overdue()
    second = concerns_escalate_overdue()

    concern.refresh_from_db()
    assert [c.pk for c in first] == [concern.pk] and second == []
    assert concern.escalated_at is not None and concern.version == 2
    event = concern.events.get()
    assert event.kind == EventKind.ESCALATED and event.actor is None
    assert event.changes["notified"] == [None, ["leitung1@kod.example", "leitung2@kod.example"]]
    (job,) = Job.objects.filter(kind="mail.send")
    assert job.payload["to"] == ["leitung1@kod.example", "leitung2@kod.example"]
    assert concern.reference in job.payload["subject"]
    assert job.payload["headers"]["X-Kontaktpunkt-Reference"] == concern.reference


def test_concerns_not_yet_due_closed_or_without_deadline_are_not_escalated():
    ConcernFactory.create(due_at=timezone.now() + timedelta(hours=1))
    ConcernFactory.create(due_at=None)
    _overdue(status=Status.RESOLVED)
    _overdue(status=Status.DUPLICATE)
    _overdue(escalated_at=timezone.now() - timedelta(hours=1))

    assert concerns_escalate_overdue() == []
    assert Job.objects.count() == 0


def test_a_unit_without_a_lead_is_told_through_its_primary_email_channel():
    unit = Unit.objects.get(slug="streetwork")
    ContactChannel.objects.create(unit=unit, kind="phone", value="0800", is_primary=True)
    ContactChannel.objects.create(unit=unit, kind="email", value="team@streetwork.example")

    assert escalation_recipients(unit) == ["team@streetwork.example"]


def test_a_concern_without_anyone_to_tell_is_still_escalated_without_mail():
    concern = _overdue(responsible_unit=Unit.objects.get(slug="police"))

    concerns_escalate_overdue()

    concern.refresh_from_db()
    assert concern.escalated_at is not None
    assert Job.objects.filter(kind="mail.send").count() == 0


def test_a_lead_without_email_or_inactive_is_not_a_recipient():
    lead = _lead("alt@kod.example")
    lead.is_active = False
    lead.save()
    MembershipFactory.create(user=UserFactory.create(email=""), role=Role.KOD_LEAD)
    ContactChannel.objects.create(
        unit=Unit.objects.get(slug="kod"), kind="email", value="kod@stadt.example", is_primary=True
    )

    assert escalation_recipients(Unit.objects.get(slug="kod")) == ["kod@stadt.example"]


def test_when_the_row_cannot_be_written_the_stored_file_is_removed_again(
    kod_officer, monkeypatch, settings
):
    concern = ConcernFactory.create()
    upload = upload_clean(data=_png(), name="x.png")

    def fail(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", fail)
    with pytest.raises(RuntimeError):
        attachment_add(concern=concern, upload=upload, by=kod_officer, expected_version=1)

    assert list(settings.MEDIA_ROOT.rglob("*.png")) == []
    concern.refresh_from_db()
    assert concern.version == 1 and concern.events.count() == 0


# --- category (triage) --------------------------------------------------------------------------


def test_a_new_category_is_set_routed_again_and_recorded(kod_lead):
    concern = ConcernFactory.create(category=None, responsible_unit=None)
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    changed = concern_categorise(
        concern=concern, category=graffiti, by=kod_lead, expected_version=1
    )

    assert changed.category == graffiti
    assert changed.responsible_unit == graffiti.default_unit
    event = ConcernEvent.objects.filter(concern=concern, kind=EventKind.CHANGED).get()
    assert event.changes["category"][1]["id"] == graffiti.pk
    assert event.actor == kod_lead


def test_a_closed_concern_is_not_put_under_another_category(kod_lead):
    concern = ConcernFactory.create(status=Status.CLOSED)
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    with pytest.raises(ChangeRefused):
        concern_categorise(concern=concern, category=graffiti, by=kod_lead, expected_version=1)

    assert Concern.objects.get(pk=concern.pk).category == concern.category


def test_an_inactive_category_is_refused(kod_lead):
    concern = ConcernFactory.create()
    graffiti = Category.objects.get(code="cleanliness-graffiti")
    graffiti.active = False
    graffiti.save()

    with pytest.raises(ChangeRefused):
        concern_categorise(concern=concern, category=graffiti, by=kod_lead, expected_version=1)


def test_a_category_change_on_a_stale_version_is_refused(kod_lead):
    concern = ConcernFactory.create(version=3)
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    with pytest.raises(ConflictError):
        concern_categorise(concern=concern, category=graffiti, by=kod_lead, expected_version=2)
