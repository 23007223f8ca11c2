from __future__ import annotations

from django.urls import path, register_converter

from kontaktpunkt.cases.views import detail, map, queue
from kontaktpunkt.core.converters import ReferenceConverter

register_converter(ReferenceConverter, "reference")

app_name = "cases"
urlpatterns = [
    path("vorgaenge/", queue.queue, name="queue"),
    path("vorgaenge/zaehler/", queue.queue_counts, name="queue_counts"),
    path("vorgaenge/filter/", queue.filter_save, name="filter_save"),
    path("vorgaenge/filter/<int:pk>/loeschen/", queue.filter_delete, name="filter_delete"),
    path("vorgaenge/<reference:reference>/", detail.detail, name="detail"),
    path("vorgaenge/<reference:reference>/zuweisen/", detail.assign, name="assign"),
    path("vorgaenge/<reference:reference>/status/", detail.transition, name="transition"),
    path("vorgaenge/<reference:reference>/kategorie/", detail.categorise, name="categorise"),
    path("vorgaenge/<reference:reference>/notiz/", detail.note, name="note"),
    path("vorgaenge/<reference:reference>/anhaenge/", detail.attach, name="attach"),
    path(
        "vorgaenge/<reference:reference>/anhaenge/<int:pk>/",
        detail.attachment_download,
        name="attachment",
    ),
    path("vorgaenge/<reference:reference>/zusammenfuehren/", detail.merge, name="merge"),
    path("karte/", map.map_page, name="map"),
    path("karte/daten/", map.map_data, name="map_data"),
]
