from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from kontaktpunkt.cases.attachments import upload_clean
from kontaktpunkt.cases.models import Attachment, ReplyTemplate, SavedFilter
from kontaktpunkt.cases.services import attachment_add
from kontaktpunkt.testing.factories import ConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(admin_user) -> Attachment:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    return attachment_add(
        concern=ConcernFactory.create(),
        upload=upload_clean(data=out.getvalue(), name="foto.png"),
        by=admin_user,
        expected_version=None,
    )


@pytest.mark.parametrize("model", ["replytemplate", "attachment", "savedfilter"])
def test_an_administrator_sees_the_lists_in_german(admin_client, model, attachment, admin_user):
    SavedFilter.objects.create(owner=admin_user, name="Meine Überfälligen", query="overdue=1")

    response = admin_client.get(reverse(f"admin:cases_{model}_changelist"))

    assert response.status_code == 200
    assert {"replytemplate": "Antwortvorlage", "attachment": "Anh", "savedfilter": "Filter"}[
        model
    ] in response.content.decode()


def test_the_seeded_reply_templates_are_listed(admin_client):
    response = admin_client.get(reverse("admin:cases_replytemplate_changelist"))

    assert "Eingangsbestätigung" in response.content.decode()


def test_a_reply_template_can_be_added_and_its_placeholders_are_explained(admin_client):
    add = reverse("admin:cases_replytemplate_add")

    page = admin_client.get(add).content.decode()
    response = admin_client.post(
        add, {"name": "Neu", "body": "Zu {reference}: erledigt.", "active": "on", "sort_order": 5}
    )

    assert "{reference}" in page and "Platzhalter" in page
    assert response.status_code == 302
    assert ReplyTemplate.objects.get(name="Neu").body == "Zu {reference}: erledigt."


def test_attachments_are_read_only_in_the_admin(admin_client, attachment):
    change = reverse("admin:cases_attachment_change", args=[attachment.pk])

    assert admin_client.get(reverse("admin:cases_attachment_add")).status_code == 403
    assert admin_client.get(change).status_code == 200
    admin_client.post(change, {"original_name": "anders.png"})
    assert Attachment.objects.get().original_name == "foto.png"
    response = admin_client.post(reverse("admin:cases_attachment_delete", args=[attachment.pk]))
    assert response.status_code == 403 and Attachment.objects.count() == 1
