from __future__ import annotations

from django.urls import URLPattern, path

from kontaktpunkt.routing import views

app_name = "routing"

urlpatterns: list[URLPattern] = [
    path("benachrichtigungen/abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
