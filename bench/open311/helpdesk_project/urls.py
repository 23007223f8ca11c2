# mypy: ignore-errors
"""django-helpdesk's own URLs; the benchmark posts to its public ticket form (submit_iframe)."""

from django.urls import include, path

urlpatterns = [path("helpdesk/", include("helpdesk.urls", namespace="helpdesk"))]
