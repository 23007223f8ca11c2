"""Seed German reply templates for public replies; placeholders are filled when a template is used."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TEMPLATES = [
    (
        "Eingangsbestätigung",
        "Guten Tag,\n\nvielen Dank für Ihre Meldung. Ihr Anliegen ist bei uns unter der "
        "Vorgangsnummer {reference} eingegangen (Kategorie: {category}). Zuständig ist {unit}. "
        "Wir melden uns, sobald es Neuigkeiten gibt.\n\nMit freundlichen Grüßen\n"
        "Ihr Kontaktpunkt, {date}",
    ),
    (
        "In Bearbeitung",
        "Guten Tag,\n\nIhr Anliegen {reference} wird derzeit von {unit} bearbeitet "
        "(Stand: {status}). Wir informieren Sie, sobald es erledigt ist.\n\n"
        "Mit freundlichen Grüßen\nIhr Kontaktpunkt, {date}",
    ),
    (
        "Weitergeleitet an Partner",
        "Guten Tag,\n\nwir haben Ihr Anliegen {reference} an die zuständige Stelle {unit} "
        "weitergeleitet. Die Bearbeitung kann dort einige Tage dauern.\n\n"
        "Mit freundlichen Grüßen\nIhr Kontaktpunkt, {date}",
    ),
    (
        "Erledigt",
        "Guten Tag,\n\nIhr Anliegen {reference} ({category}) wurde erledigt. Vielen Dank, dass Sie "
        "uns darauf aufmerksam gemacht haben.\n\nMit freundlichen Grüßen\nIhr Kontaktpunkt, {date}",
    ),
    (
        "Nicht zuständig",
        "Guten Tag,\n\nfür Ihr Anliegen {reference} ist die Stadt leider nicht zuständig. Bitte "
        "wenden Sie sich an die zuständige Stelle. Gern helfen wir Ihnen am Kontaktpunkt weiter."
        "\n\nMit freundlichen Grüßen\nIhr Kontaktpunkt, {date}",
    ),
    (
        "Bereits gemeldet",
        "Guten Tag,\n\nvielen Dank für Ihre Meldung {reference}. Dieser Sachverhalt ist uns bereits "
        "bekannt und wird unter einem anderen Vorgang bearbeitet (Stand: {status}).\n\n"
        "Mit freundlichen Grüßen\nIhr Kontaktpunkt, {date}",
    ),
    (
        "Rückfrage",
        "Guten Tag,\n\nzu Ihrem Anliegen {reference} haben wir eine Rückfrage: Können Sie uns den "
        "Ort genauer beschreiben oder ein Foto schicken? Antworten Sie gern auf diese Nachricht.\n\n"
        "Mit freundlichen Grüßen\nIhr Kontaktpunkt, {date}",
    ),
]


def seed(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("cases", "ReplyTemplate")
    for order, (name, body) in enumerate(TEMPLATES, start=1):
        model.objects.update_or_create(
            name=name, defaults={"body": body, "sort_order": order * 10, "active": True}
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cases", "ReplyTemplate").objects.filter(
        name__in=[name for name, _ in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
