from __future__ import annotations

from django.urls import path

from kontaktpunkt.cases.views import detail, map, queue

app_name = "cases"
urlpatterns = [
    path("vorgaenge/", queue.queue, name="queue"),
    path("vorgaenge/zaehler/", queue.queue_counts, name="queue_counts"),
    path("vorgaenge/filter/", queue.filter_save, name="filter_save"),
    path("vorgaenge/filter/<int:pk>/loeschen/", queue.filter_delete, name="filter_delete"),
    path("vorgaenge/<str:reference>/", detail.detail, name="detail"),
    path("vorgaenge/<str:reference>/zuweisen/", detail.assign, name="assign"),
    path("vorgaenge/<str:reference>/status/", detail.transition, name="transition"),
    path("vorgaenge/<str:reference>/notiz/", detail.note, name="note"),
    path("vorgaenge/<str:reference>/anhaenge/", detail.attach, name="attach"),
    path(
        "vorgaenge/<str:reference>/anhaenge/<int:pk>/",
        detail.attachment_download,
        name="attachment",
    ),
    path("vorgaenge/<str:reference>/zusammenfuehren/", detail.merge, name="merge"),
    path("karte/", map.map_page, name="map"),
    path("karte/daten/", map.map_data, name="map_data"),
]
