from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from kontaktpunkt.accounts.models import Unit
from kontaktpunkt.cases.models import Attachment, ReplyTemplate
from kontaktpunkt.classify.loader import classifier
from kontaktpunkt.classify.models import Correction
from kontaktpunkt.intake.models import Category, Concern, EventKind, ReporterContact, Status
from kontaktpunkt.intake.services import concern_add_note
from kontaktpunkt.testing.factories import ConcernFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "desk_clerk",
    "kod_officer",
    "kod_lead",
    "streetworker",
    "partner_city_works",
    "analyst",
    "admin",
    "dpo",
]
HTMX = {"HX-Request": "true"}


@pytest.fixture
def concern() -> Concern:
    """A KOD concern with a reporter, as the desk records it."""
    concern = ConcernFactory.create(
        status=Status.ASSIGNED, address="Ostwall 1", due_at=timezone.now() + timedelta(days=2)
    )
    ReporterContact.objects.create(
        concern=concern, name="Erika Meldung", email="erika@example.org", consent=True
    )
    return concern


def client_for(request, persona: str) -> Client:
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    return client


def url(name: str, concern: Concern, *args) -> str:
    return reverse(f"cases:{name}", args=[concern.reference, *args])


def png(**save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(out, "PNG", **save)
    return out.getvalue()


def text(response: Any) -> str:
    return str(response.content.decode())


def find(pattern: str, page: str) -> str:
    match = re.search(pattern, page, re.S)
    assert match is not None, pattern
    return match.group(0)


# --- who sees what -------------------------------------------------------------------------------

# Administrators configure the system and do not read concerns (permissions.py).
SEES_KOD_CONCERN = {"desk_clerk", "kod_officer", "kod_lead"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_detail_of_a_kod_concern_is_shown_only_to_who_may_see_it(request, concern, persona):
    response = client_for(request, persona).get(url("detail", concern))

    assert response.status_code == (200 if persona in SEES_KOD_CONCERN else 404)


def test_a_signed_out_visitor_is_sent_to_sign_in(client, concern):
    response = client.get(url("detail", concern))

    assert response.status_code == 302 and "/anmelden/" in response["Location"]


def test_a_partner_sees_a_concern_of_its_unit_but_not_the_internal_notes(
    request, kod_officer, partner_city_works
):
    concern = ConcernFactory.create(responsible_unit=Unit.objects.get(slug="city-works"))
    concern_add_note(concern=concern, text="nur intern bitte", public=False, by=kod_officer)
    concern_add_note(concern=concern, text="Wir kümmern uns.", public=True, by=kod_officer)

    response = client_for(request, "partner_city_works").get(url("detail", concern))

    assert response.status_code == 200
    assert "Wir kümmern uns." in text(response)
    assert "nur intern bitte" not in text(response)


def test_the_detail_shows_the_facts_in_german(request, concern):
    response = client_for(request, "kod_officer").get(url("detail", concern))

    page = text(response)
    assert concern.reference in page and "Ostwall 1" in page
    assert concern.category.name in page
    assert "zugewiesen" in page  # status
    assert "Kommunaler Ordnungsdienst" in page
    assert "Geschäftsstunden" in page  # deadline counted in business time


def test_reporter_contact_is_shown_only_to_people_who_may_edit(request, concern):
    concern.responsible_unit = Unit.objects.get(slug="city-works")
    concern.save()
    editor = client_for(request, "kod_lead").get(url("detail", concern))
    reader = client_for(request, "partner_city_works").get(url("detail", concern))

    assert reader.status_code == 200
    assert "erika@example.org" in text(editor)
    assert "erika@example.org" not in text(reader)


def test_an_overdue_concern_says_since_when(request):
    due = timezone.now() - timedelta(days=1)
    concern = ConcernFactory.create(status=Status.IN_PROGRESS, due_at=due)

    page = text(client_for(request, "kod_officer").get(url("detail", concern)))

    assert "überfällig seit" in page
    assert timezone.localtime(due).strftime("%d.%m.%Y") in page


def test_internal_notes_and_public_replies_are_marked_apart_in_the_timeline(
    request, concern, kod_officer
):
    concern_add_note(concern=concern, text="Interner Hinweis", public=False, by=kod_officer)
    concern_add_note(concern=concern, text="Antwort an alle", public=True, by=kod_officer)

    page = text(client_for(request, "kod_lead").get(url("detail", concern)))

    assert re.search(r"event--internal.*?Interner Hinweis", page, re.S)
    assert re.search(r"event--public.*?Antwort an alle", page, re.S)
    assert page.index("Antwort an alle") < page.index("Interner Hinweis")  # newest first


def test_the_timeline_shows_before_and_after_in_german(request, concern):
    client = client_for(request, "kod_officer")
    client.post(url("transition", concern), {"to": "in_progress", "version": 1})

    page = text(client.get(url("detail", concern)))

    assert re.search(r"<del>zugewiesen</del> → <ins>in Bearbeitung</ins>", page)


def test_a_duplicate_links_to_its_original_and_the_original_lists_it(request):
    original = ConcernFactory.create()
    duplicate = ConcernFactory.create(status=Status.DUPLICATE, duplicate_of=original)
    client = client_for(request, "desk_clerk")

    assert url("detail", original) in text(client.get(url("detail", duplicate)))
    assert url("detail", duplicate) in text(client.get(url("detail", original)))


def test_only_the_allowed_transitions_are_offered(request):
    concern = ConcernFactory.create(status=Status.RESOLVED)

    officer = text(client_for(request, "kod_officer").get(url("detail", concern)))

    offered = set(re.findall(r'name="to" value="(\w+)"', officer))
    assert offered == {"closed", "in_progress"}


# --- actions by persona --------------------------------------------------------------------------

ACTIONS = {
    "transition": ({"to": "in_progress"}, {"desk_clerk", "kod_officer", "kod_lead"}),
    "note": (
        {"text": "Notiz", "visibility": "internal"},
        {"desk_clerk", "kod_officer", "kod_lead"},
    ),
    "assign": ({"unit": "streetwork"}, {"desk_clerk", "kod_lead"}),
    "merge": ({"original": "other"}, {"desk_clerk", "kod_lead"}),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_action_is_allowed_or_denied_by_persona(request, concern, persona, action):
    given, allowed = ACTIONS[action]
    other = ConcernFactory.create()
    data: dict[str, Any] = {
        **given,
        "version": 1,
        **({"unit": Unit.objects.get(slug="streetwork").pk} if "unit" in given else {}),
        **({"original": other.reference} if "original" in given else {}),
    }

    response = client_for(request, persona).post(url(action, concern), data)

    if persona in allowed:
        assert response.status_code == 302, text(response)
        assert Concern.objects.get(pk=concern.pk).version == 2
    else:
        assert response.status_code == (403 if persona in SEES_KOD_CONCERN else 404)
        assert Concern.objects.get(pk=concern.pk).version == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_attaching_is_allowed_to_who_works_the_concern(request, concern, persona):
    upload = SimpleUploadedFile("foto.png", png(), content_type="image/png")

    response = client_for(request, persona).post(
        url("attach", concern), {"file": upload, "version": 1}
    )

    works = {"desk_clerk", "kod_officer", "kod_lead"}
    expected = 302 if persona in works else 403 if persona in SEES_KOD_CONCERN else 404
    assert response.status_code == expected
    assert Attachment.objects.count() == (1 if persona in works else 0)


@pytest.mark.parametrize("name", ["assign", "transition", "categorise", "note", "attach", "merge"])
def test_actions_answer_only_to_post(request, concern, name):
    assert client_for(request, "kod_lead").get(url(name, concern)).status_code == 405


def test_an_action_on_a_foreign_concern_answers_404_and_changes_nothing(request, concern):
    response = client_for(request, "streetworker").post(
        url("note", concern), {"text": "x", "visibility": "internal", "version": 1}
    )

    assert response.status_code == 404
    assert concern.events.count() == 0


# --- the actions themselves ---------------------------------------------------------------------


def test_a_status_change_redirects_to_the_detail_with_a_german_message(request, concern):
    client = client_for(request, "kod_officer")

    response = client.post(
        url("transition", concern), {"to": "resolved", "version": 1}, follow=True
    )

    assert response.redirect_chain == [(url("detail", concern), 302)]
    assert Concern.objects.get(pk=concern.pk).status == Status.RESOLVED
    assert "erledigt" in text(response)


def test_a_disallowed_transition_answers_400_with_a_german_message(request, concern):
    response = client_for(request, "kod_officer").post(
        url("transition", concern), {"to": "closed", "version": 1}
    )

    assert response.status_code == 400
    assert "kann nicht" in text(response)
    assert Concern.objects.get(pk=concern.pk).status == Status.ASSIGNED


def test_an_officer_cannot_reopen_a_closed_concern(request):
    concern = ConcernFactory.create(status=Status.CLOSED)

    response = client_for(request, "kod_officer").post(
        url("transition", concern), {"to": "in_progress", "version": 1}
    )

    assert response.status_code == 400


def test_assigning_to_a_person_of_the_unit(request, concern, kod_officer):
    kod = Unit.objects.get(slug="kod")

    response = client_for(request, "desk_clerk").post(
        url("assign", concern), {"unit": kod.pk, "assignee": kod_officer.pk, "version": 1}
    )

    assert response.status_code == 302
    assert Concern.objects.get(pk=concern.pk).assignee == kod_officer
    assert concern.events.get().kind == EventKind.ASSIGNED


def test_the_person_list_holds_the_active_members_of_the_chosen_unit(
    request, concern, kod_officer, streetworker
):
    client = client_for(request, "desk_clerk")
    streetwork = Unit.objects.get(slug="streetwork")

    page = text(client.get(url("detail", concern)))
    refreshed = client.post(
        url("assign", concern), {"unit": streetwork.pk, "refresh": "1", "version": 1}, headers=HTMX
    )

    people = find(r'id="assignee-field".*?</div>', page)
    assert str(kod_officer) in people and str(streetworker) not in people
    assert refreshed.status_code == 200
    assert text(refreshed).lstrip().startswith('<div id="assignee-field">')
    assert str(streetworker) in text(refreshed) and str(kod_officer) not in text(refreshed)
    assert Concern.objects.get(pk=concern.pk).version == 1  # refreshing changes nothing


def test_assigning_a_person_of_another_unit_re_renders_with_a_german_error(
    request, concern, streetworker
):
    response = client_for(request, "desk_clerk").post(
        url("assign", concern),
        {"unit": Unit.objects.get(slug="kod").pk, "assignee": streetworker.pk, "version": 1},
    )

    assert response.status_code == 400
    assert "gehört nicht zur gewählten Organisationseinheit" in text(response)


def test_an_internal_note_and_a_public_reply_are_saved_apart(request, concern):
    client = client_for(request, "kod_officer")

    client.post(url("note", concern), {"text": "intern", "visibility": "internal", "version": 1})
    client.post(url("note", concern), {"text": "öffentlich", "visibility": "public", "version": 2})

    note, reply = concern.events.order_by("id")
    assert (note.kind, note.is_public, note.text) == (EventKind.NOTE, False, "intern")
    assert (reply.kind, reply.is_public, reply.text) == (EventKind.REPLY, True, "öffentlich")


def test_an_empty_note_re_renders_with_a_german_message_and_keeps_the_choice(request, concern):
    response = client_for(request, "kod_officer").post(
        url("note", concern), {"text": "   ", "visibility": "public", "version": 1}
    )

    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in text(response)
    assert re.search(r'value="public"[^>]*checked', text(response))


def test_a_too_long_note_keeps_what_was_typed(request, concern):
    typed = "Sehr lang " * 1100

    response = client_for(request, "kod_officer").post(
        url("note", concern), {"text": typed, "visibility": "internal", "version": 1}
    )

    assert response.status_code == 400
    assert typed.strip() in text(response)


def test_a_reply_template_starts_a_public_reply_with_the_placeholders_filled(request, concern):
    template = ReplyTemplate.objects.create(
        name="Test", body="Ihr Anliegen {reference} liegt bei {unit}. {unbekannt}"
    )

    response = client_for(request, "kod_officer").get(
        url("detail", concern), {"vorlage": template.pk}
    )

    page = text(response)
    assert response.status_code == 200
    assert (
        f"Ihr Anliegen {concern.reference} liegt bei Kommunaler Ordnungsdienst. {{unbekannt}}"
        in page
    )
    assert re.search(r'value="public"[^>]*checked', page)


def test_the_seeded_german_reply_templates_are_offered(request, concern):
    page = text(client_for(request, "kod_officer").get(url("detail", concern)))

    assert ReplyTemplate.objects.filter(active=True).count() >= 6
    assert "Eingangsbestätigung" in page


def test_an_unknown_reply_template_leaves_the_reply_empty(request, concern):
    response = client_for(request, "kod_officer").get(url("detail", concern), {"vorlage": "999"})

    assert response.status_code == 200


def test_merging_from_the_detail_page(request, concern):
    original = ConcernFactory.create()

    response = client_for(request, "kod_lead").post(
        url("merge", concern), {"original": original.reference.lower(), "version": 1}
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.duplicate_of) == (Status.DUPLICATE, original)
    assert original.events.get().kind == EventKind.MERGED


def test_merging_into_an_unknown_or_invisible_concern_is_refused_in_german(request, concern):
    client = client_for(request, "kod_lead")

    unknown = client.post(url("merge", concern), {"original": "KP-1999-999999", "version": 1})
    itself = client.post(url("merge", concern), {"original": concern.reference, "version": 1})

    assert unknown.status_code == itself.status_code == 400
    assert "Vorgangsnummer" in text(unknown)
    assert Concern.objects.get(pk=concern.pk).status == Status.ASSIGNED


# --- htmx -------------------------------------------------------------------------------------------


def test_with_htmx_an_action_answers_with_the_case_fragment(request, concern):
    response = client_for(request, "kod_officer").post(
        url("note", concern),
        {"text": "per htmx", "visibility": "internal", "version": 1},
        headers=HTMX,
    )

    page = text(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="case"') and "<html" not in page
    assert "per htmx" in page and 'name="version" value="2"' in page


def test_with_htmx_invalid_input_answers_400_with_the_fragment(request, concern):
    response = client_for(request, "kod_officer").post(
        url("note", concern), {"text": "", "visibility": "internal", "version": 1}, headers=HTMX
    )

    assert response.status_code == 400
    assert text(response).lstrip().startswith('<div id="case"')


def test_with_htmx_a_reply_template_answers_with_the_note_form_only(request, concern):
    template = ReplyTemplate.objects.order_by("sort_order").first()
    assert template is not None

    response = client_for(request, "kod_officer").get(
        url("detail", concern), {"vorlage": template.pk}, headers=HTMX
    )

    assert text(response).lstrip().startswith('<form id="note-form"')


# --- concurrent editing ---------------------------------------------------------------------------


def test_a_second_session_on_a_stale_version_gets_409_with_the_changes_and_keeps_its_text(
    request, concern
):
    officer, lead = client_for(request, "kod_officer"), client_for(request, "kod_lead")
    rendered = find(r'name="version" value="\d+"', text(lead.get(url("detail", concern))))
    version = int(rendered.split('"')[3])
    officer.get(url("detail", concern))

    first = officer.post(url("transition", concern), {"to": "in_progress", "version": version})
    second = lead.post(
        url("note", concern),
        {"text": "Bitte Streife schicken", "visibility": "internal", "version": version},
    )

    page = text(second)
    assert first.status_code == 302
    assert second.status_code == 409
    assert "inzwischen geändert" in page
    conflict = find(r'<section class="conflict".*?</section>', page)
    assert "in Bearbeitung" in conflict and "Kod Officer" in conflict
    assert "Bitte Streife schicken</textarea>" in page
    assert 'name="version" value="2" id="note_version"' in page
    assert concern.events.count() == 1  # nothing written by the stale request

    again = lead.post(
        url("note", concern),
        {"text": "Bitte Streife schicken", "visibility": "internal", "version": 2},
    )

    assert again.status_code == 302
    assert list(concern.events.order_by("id").values_list("kind", flat=True)) == [
        EventKind.STATUS,
        EventKind.NOTE,
    ]


def test_a_stale_status_change_is_refused_and_the_other_change_stays(request, concern):
    officer, lead = client_for(request, "kod_officer"), client_for(request, "kod_lead")
    officer.post(url("transition", concern), {"to": "resolved", "version": 1})

    response = lead.post(
        url("transition", concern), {"to": "in_progress", "version": 1}, headers=HTMX
    )

    assert response.status_code == 409
    assert "erledigt" in find(r'<section class="conflict".*?</section>', text(response))
    assert Concern.objects.get(pk=concern.pk).status == Status.RESOLVED


def test_a_stale_assignment_is_refused(request, concern, kod_officer):
    concern_add_note(concern=concern, text="zwischendurch", public=False, by=kod_officer)

    response = client_for(request, "desk_clerk").post(
        url("assign", concern),
        {"unit": Unit.objects.get(slug="streetwork").pk, "version": 1},
    )

    assert response.status_code == 409
    assert "zwischendurch" in text(response)
    unit = Concern.objects.get(pk=concern.pk).responsible_unit
    assert unit is not None and unit.slug == "kod"


# --- attachments ----------------------------------------------------------------------------------


def attach(client, concern, data: bytes, name: str, content_type: str, version: int = 1):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(url("attach", concern), {"file": upload, "version": version})


def test_a_png_with_gps_is_stored_without_metadata_under_a_random_name(request, concern):
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 20.0, 1.0)})

    response = attach(
        client_for(request, "kod_officer"), concern, png(exif=exif), "Hauseingang.png", "image/png"
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert "Hauseingang" not in attachment.file.name
    with Image.open(attachment.file.path) as stored:
        assert stored.info == {} and dict(stored.getexif()) == {}
    assert concern.events.get().changes == {"attachment": [None, "Hauseingang.png"]}


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "image/jpeg"),
        (b"<!doctype html><html><body><script>alert(1)</script></body></html>", "image/jpeg"),
    ],
    ids=["pdf", "html"],
)
def test_a_jpg_that_is_really_a_pdf_or_html_is_refused_in_german(
    request, concern, data, content_type
):
    response = attach(client_for(request, "kod_officer"), concern, data, "foto.jpg", content_type)

    assert response.status_code == 400
    assert "Datei" in text(response)
    assert Attachment.objects.count() == 0
    assert Concern.objects.get(pk=concern.pk).version == 1


def test_an_upload_over_the_limit_is_refused_early_with_413(request, concern, settings):
    settings.KP_UPLOAD_MAX_BYTES = 1024

    response = attach(
        client_for(request, "kod_officer"),
        concern,
        b"\x89PNG\r\n\x1a\n" + b"0" * 200_000,
        "gross.png",
        "image/png",
    )

    assert response.status_code == 413
    assert "zu groß" in text(response)
    assert Attachment.objects.count() == 0


def test_an_upload_growing_past_the_limit_while_received_is_refused_with_413(
    request, concern, settings
):
    settings.KP_UPLOAD_MAX_BYTES = 1024  # the request itself stays within the early check

    response = attach(
        client_for(request, "kod_officer"),
        concern,
        b"\x89PNG\r\n\x1a\n" + b"0" * 5000,
        "gross.png",
        "image/png",
    )

    assert response.status_code == 413
    assert "zu groß" in text(response)
    assert Attachment.objects.count() == 0


def test_a_failed_upload_keeps_the_attachments_already_stored(request, concern):
    client = client_for(request, "kod_officer")
    attach(client, concern, png(), "erstes.png", "image/png")
    first = Attachment.objects.get()

    response = attach(client, concern, b"kein Bild", "zweites.png", "image/png", version=2)

    assert response.status_code == 400
    assert list(Attachment.objects.all()) == [first]
    with Image.open(first.file.path) as stored:
        stored.load()


def test_an_attachment_is_served_with_nosniff_and_a_disposition_to_who_may_see_it(request, concern):
    attach(client_for(request, "kod_officer"), concern, png(), "Foto vom Ort.png", "image/png")
    attachment = Attachment.objects.get()

    response = client_for(request, "desk_clerk").get(url("attachment", concern, attachment.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "Foto vom Ort.png" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_pdf_is_served_as_a_download(request, concern):
    pdf = io.BytesIO()
    Image.new("RGB", (5, 5)).save(pdf, "PDF")
    attach(
        client_for(request, "kod_officer"),
        concern,
        pdf.getvalue(),
        "Bescheid.pdf",
        "application/pdf",
    )

    response = client_for(request, "kod_officer").get(
        url("attachment", concern, Attachment.objects.get().pk)
    )

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("persona", ["streetworker", "partner_city_works", "analyst", "dpo"])
def test_an_attachment_is_not_served_to_who_may_not_see_the_concern(request, concern, persona):
    attach(client_for(request, "kod_officer"), concern, png(), "x.png", "image/png")

    response = client_for(request, persona).get(
        url("attachment", concern, Attachment.objects.get().pk)
    )

    assert response.status_code == 404


def test_an_attachment_of_another_concern_is_not_served_under_this_one(request, concern):
    other = ConcernFactory.create()
    attach(client_for(request, "kod_officer"), other, png(), "x.png", "image/png")

    response = client_for(request, "kod_officer").get(
        url("attachment", concern, Attachment.objects.get().pk)
    )

    assert response.status_code == 404


def test_an_upload_without_a_csrf_token_is_refused(request, concern):
    client = Client(enforce_csrf_checks=True)
    client.force_login(request.getfixturevalue("kod_officer"))

    response = attach(client, concern, png(), "x.png", "image/png")

    assert response.status_code == 403
    assert Attachment.objects.count() == 0


def test_an_attachment_whose_file_is_gone_answers_404(request, concern):
    attach(client_for(request, "kod_officer"), concern, png(), "x.png", "image/png")
    attachment = Attachment.objects.get()
    attachment.file.storage.delete(attachment.file.name)

    response = client_for(request, "kod_officer").get(url("attachment", concern, attachment.pk))

    assert response.status_code == 404


def test_with_htmx_a_too_large_upload_answers_413_with_the_case_fragment(
    request, concern, settings
):
    settings.KP_UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("gross.png", b"\x89PNG\r\n\x1a\n" + b"0" * 200_000)

    response = client_for(request, "kod_officer").post(
        url("attach", concern), {"file": upload, "version": 1}, headers=HTMX
    )

    assert response.status_code == 413
    assert text(response).lstrip().startswith('<div id="case"')
    assert "Die Datei ist zu groß. Erlaubt sind höchstens 1,0" in text(response)


def test_inactive_members_are_not_offered_for_assignment(request, concern, kod_officer):
    kod_officer.is_active = False
    kod_officer.save()

    page = text(client_for(request, "desk_clerk").get(url("detail", concern)))

    assert str(kod_officer) not in find(r'id="assignee-field".*?</div>', page)


def test_a_reply_template_keeps_the_version_the_page_was_rendered_with(
    request, concern, kod_officer
):
    concern_add_note(concern=concern, text="inzwischen", public=False, by=kod_officer)
    template = ReplyTemplate.objects.order_by("sort_order").first()
    assert template is not None
    client = client_for(request, "kod_lead")

    fragment = client.get(
        url("detail", concern), {"vorlage": template.pk, "version": 1}, headers=HTMX
    )
    response = client.post(
        url("note", concern), {"text": "Antwort", "visibility": "public", "version": 1}
    )

    assert 'name="version" value="1" id="note_version"' in text(fragment)
    assert response.status_code == 409


@pytest.mark.parametrize(
    "path", ["/vorgaenge/%00/", "/vorgaenge/KP%00/status/", "/vorgaenge/%00/anhaenge/1/"]
)
def test_a_reference_with_a_nul_byte_is_not_found_instead_of_crashing(request, path):
    client = client_for(request, "kod_lead")
    response = client.post(path) if path.endswith("status/") else client.get(path)
    assert response.status_code == 404


# --- possible duplicates to merge (issue 6) -----------------------------------------------------

THEATERPLATZ = (51.33283, 6.56262)


@pytest.fixture
def drinking() -> Concern:
    """A KOD concern at the Theaterplatz, reported two hours ago by phone."""
    from kontaktpunkt.intake.models import Category, Channel

    return ConcernFactory.create(
        category=Category.objects.get(code="order-public-drinking"),
        channel=Channel.PHONE,
        description="Gruppe trinkt Alkohol am Theaterplatz in der Verbotszone",
        lat=THEATERPLATZ[0],
        lon=THEATERPLATZ[1],
        reported_at=timezone.now() - timedelta(hours=2),
    )


def near(concern: Concern, *, north_m: float, hours: float, text: str, **kwargs) -> Concern:
    from kontaktpunkt.intake.models import Channel

    return ConcernFactory.create(
        category=concern.category,
        channel=kwargs.pop("channel", Channel.WEB),
        description=text,
        lat=THEATERPLATZ[0] + north_m / 111_320,
        lon=THEATERPLATZ[1],
        reported_at=concern.reported_at + timedelta(hours=hours),
        **kwargs,
    )


def test_the_case_lists_concerns_of_the_same_kind_nearby_from_other_channels(request, drinking):
    earlier = near(
        drinking, north_m=30, hours=-1, text="Trinkergruppe auf den Stufen am Theaterplatz"
    )
    later = near(drinking, north_m=-20, hours=1, text="Am Theaterplatz wird wieder getrunken")
    far = near(drinking, north_m=900, hours=0, text="Alkohol am Südwall")

    page = text(client_for(request, "kod_lead").get(url("detail", drinking)))

    section = find(r'<section id="merge-candidates".*?</section>', page)
    assert earlier.reference in section and later.reference in section
    assert far.reference not in section and "Online-Formular" in section
    offered = find(rf'data-reference="{earlier.reference}".*?</li>', section)
    assert f'name="original" value="{earlier.reference}"' in offered
    assert 'name="original"' not in find(rf'data-reference="{later.reference}".*?</li>', section)


def test_a_candidate_is_merged_with_one_click(request, drinking):
    earlier = near(drinking, north_m=30, hours=-1, text="Trinkergruppe am Theaterplatz")

    response = client_for(request, "kod_lead").post(
        url("merge", drinking), {"original": earlier.reference, "version": drinking.version}
    )

    assert response.status_code == 302
    drinking.refresh_from_db()
    assert (drinking.status, drinking.duplicate_of) == (Status.DUPLICATE, earlier)


def test_who_may_not_merge_sees_no_candidates(request, drinking):
    near(drinking, north_m=30, hours=-1, text="Trinkergruppe am Theaterplatz")

    page = text(client_for(request, "kod_officer").get(url("detail", drinking)))

    assert 'id="merge-candidates"' not in page


def test_a_merged_concern_and_one_without_a_point_offer_no_candidates(request, drinking, concern):
    near(drinking, north_m=30, hours=-1, text="Trinkergruppe am Theaterplatz")
    drinking.status = Status.DUPLICATE
    drinking.save()
    client = client_for(request, "kod_lead")

    assert 'id="merge-candidates"' not in text(client.get(url("detail", drinking)))
    assert 'id="merge-candidates"' not in text(client.get(url("detail", concern)))


# --- category and the classifier's proposal (issue 6) --------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_the_category_is_allowed_to_who_dispatches(request, concern, persona):
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    response = client_for(request, persona).post(
        url("categorise", concern), {"category": graffiti.pk, "version": 1}
    )

    allowed = persona in {"desk_clerk", "kod_lead"}
    if allowed:
        assert response.status_code == 302, text(response)
    else:
        assert response.status_code == (403 if persona in SEES_KOD_CONCERN else 404)
    assert (Concern.objects.get(pk=concern.pk).category == graffiti) is allowed


def test_a_new_category_from_the_case_page_keeps_a_correction_of_the_proposal(request):
    classifier()  # the save never trains: make sure this checkout has its model
    concern = ConcernFactory.create(
        category=None, responsible_unit=None, description="Gebrauchte Spritzen im Gebüsch"
    )
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    response = client_for(request, "kod_lead").post(
        url("categorise", concern), {"category": graffiti.pk, "version": 1}, headers=HTMX
    )

    assert response.status_code == 200
    assert "Die Kategorie ist jetzt Graffiti" in text(response)
    (kept,) = Correction.objects.all()
    assert (kept.suggested_code, kept.final_code) == ("cleanliness-syringes", graffiti.code)


def test_a_category_change_on_a_stale_version_answers_409(request, concern):
    graffiti = Category.objects.get(code="cleanliness-graffiti")
    concern_add_note(concern=concern, text="Zwischendurch", public=False, by=None)

    response = client_for(request, "kod_lead").post(
        url("categorise", concern), {"category": graffiti.pk, "version": 1}
    )

    assert response.status_code == 409
    assert Concern.objects.get(pk=concern.pk).category != graffiti


def test_a_closed_concern_offers_no_category_change_and_refuses_one(request, concern):
    Concern.objects.filter(pk=concern.pk).update(status=Status.CLOSED)
    client = client_for(request, "kod_lead")
    graffiti = Category.objects.get(code="cleanliness-graffiti")

    page = text(client.get(url("detail", concern)))
    response = client.post(url("categorise", concern), {"category": graffiti.pk, "version": 1})

    assert 'id="category-form"' not in page
    assert response.status_code == 400


def test_staff_see_the_proposal_noted_at_intake_and_a_doubt_about_the_given_category(
    request, concern
):
    concern.extra = {
        "classification": {
            "candidates": [
                {"code": "cleanliness-syringes", "name": "Spritzen", "confidence": 0.93},
                {"code": "cleanliness-litter", "name": "Müll", "confidence": 0.04},
            ],
            "urgency": 4,
            "reasons": ["near_playground"],
            "taken": False,
            "doubt": True,
            "given_confidence": 0.02,
        }
    }
    concern.save()

    page = text(client_for(request, "kod_officer").get(url("detail", concern)))

    proposal = find(r'<dd class="proposal">.*?</dd>', page)
    assert "Spritzen (93 % wahrscheinlich)" in proposal
    assert "dringend" in proposal and "nahe einem Spielplatz" in proposal
    assert "passt nur zu 2 % zum Text" in proposal


def test_a_concern_under_the_same_partner_number_is_offered_first_for_merging(request, drinking):
    near(drinking, north_m=10, hours=-1, text="Gruppe trinkt Alkohol am Theaterplatz")
    elsewhere = ConcernFactory.create(
        description="Bereits bei maak-et.de gemeldet",
        partner_reference="4711",
        lat=None,
        lon=None,
        reported_at=drinking.reported_at - timedelta(hours=3),
    )
    Concern.objects.filter(pk=drinking.pk).update(partner_reference="4711")

    page = text(client_for(request, "kod_lead").get(url("detail", drinking)))

    section = find(r'<section id="merge-candidates".*?</section>', page)
    first = find(r'<li class="duplicate.*?</li>', section)
    assert elsewhere.reference in first
    assert "gleiche Vorgangsnummer beim Partner" in first
    assert f'name="original" value="{elsewhere.reference}"' in first
