from __future__ import annotations

from django.urls import URLPattern, path

from kontaktpunkt.routing import views

app_name = "routing"

urlpatterns: list[URLPattern] = [
    path("benachrichtigungen/abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "partner/antwort/<uuid:key>/<str:signature>/",
        views.partner_answer,
        name="partner_answer",
    ),
]
