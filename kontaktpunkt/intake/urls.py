from __future__ import annotations

from django.urls import path

from kontaktpunkt.intake import views

app_name = "intake"
urlpatterns = [
    path("erfassung/", views.desk, name="desk"),
    path("erfassung/kategorien/", views.suggest_categories, name="suggest_categories"),
    path("erfassung/vorschlag/", views.classification, name="classification"),
    path("erfassung/orte/", views.suggest_places, name="suggest_places"),
    path("erfassung/duplikate/", views.duplicates, name="duplicates"),
]
