"""The imported mails in the admin: a read-only list for administrators, nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from kontaktpunkt.intake.models import Channel
from kontaktpunkt.intake.services import ConcernInput, concern_submit
from kontaktpunkt.mailin.models import IgnoreReason, ImportedMail, MailKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    concern = concern_submit(data=ConcernInput(channel=Channel.EMAIL, description="x"), by=None)
    imported = ImportedMail.objects.create(
        message_id="<a@example.org>", kind=MailKind.IMPORTED, concern=concern
    )
    ignored = ImportedMail.objects.create(
        message_id="<b@example.org>",
        kind=MailKind.IGNORED,
        reason=IgnoreReason.AUTO_REPLY,
        detail="Auto-Submitted: auto-replied",
    )
    return concern, imported, ignored


def test_the_administrator_lists_the_mails_with_their_concern_and_reason(client, admin, records):
    concern, _, _ = records
    client.force_login(admin)

    response = client.get(reverse("admin:mailin_importedmail_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("de"):
        label = str(IgnoreReason.AUTO_REPLY.label)
    assert concern.reference in page and label in page


def test_a_mail_opens_read_only(client, admin, records):
    _, _, ignored = records
    client.force_login(admin)
    url = reverse("admin:mailin_importedmail_change", args=[ignored.pk])

    page = client.get(url)
    posted = client.post(url, {"kind": "imported"})

    assert page.status_code == 200 and "Auto-Submitted: auto-replied" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    ignored.refresh_from_db()
    assert ignored.kind == MailKind.IGNORED


def test_mails_can_be_neither_added_nor_deleted(client, admin, records):
    _, imported, _ = records
    client.force_login(admin)

    assert client.get(reverse("admin:mailin_importedmail_add")).status_code == 403
    delete = reverse("admin:mailin_importedmail_delete", args=[imported.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ImportedMail.objects.filter(pk=imported.pk).exists()


def test_people_without_the_admin_role_do_not_get_in(client, desk_clerk, records):
    client.force_login(desk_clerk)

    response = client.get(reverse("admin:mailin_importedmail_changelist"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
