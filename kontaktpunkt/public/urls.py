"""The citizens' pages (German paths) and the staff's moderation queue of the public map."""

from __future__ import annotations

from django.urls import URLPattern, path

from kontaktpunkt.public import views

app_name = "public"
urlpatterns: list[URLPattern] = [
    path("melden/", views.report, name="report"),
    path("melden/danke/<str:token>/", views.thanks, name="thanks"),
    path("melden/orte/", views.places, name="places"),
    path("melden/bereits-gemeldet/", views.duplicates, name="duplicates"),
    path("status/<str:token>/", views.status, name="status"),
    path("karte/buerger/", views.map_page, name="map"),
    path("karte/buerger/daten/", views.map_data, name="map_data"),
    path("foto/<str:name>", views.photo, name="photo"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<str:reference>/", views.moderate, name="moderate"),
    path("moderation/foto/<str:name>", views.moderation_photo, name="moderation_photo"),
]
