from __future__ import annotations

from datetime import date

from django.urls import path, register_converter

from kontaktpunkt.roster.views import downloads, mine, plans, uploads


class IsoDateConverter:
    """A calendar date as YYYY-MM-DD; an impossible date does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else value


class TokenConverter:
    regex = r"[A-Za-z0-9_-]{20,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(TokenConverter, "token")

app_name = "roster"
urlpatterns = [
    path("dienstplan/", plans.index, name="index"),
    path("dienstplan/neu/", plans.create, name="create"),
    path("dienstplan/import/", uploads.import_page, name="import"),
    path("dienstplan/<int:pk>/", plans.detail, name="plan"),
    path("dienstplan/<int:pk>/zelle/<int:staff>/<isodate:day>/", plans.cell, name="cell"),
    path("dienstplan/<int:pk>/berechnen/", plans.solve, name="solve"),
    path("dienstplan/<int:pk>/berechnung/", plans.solve_status, name="solve_status"),
    path("dienstplan/<int:pk>/veroeffentlichen/", plans.publish, name="publish"),
    path("dienstplan/<int:pk>/krankmeldung/", plans.sick_call, name="sick_call"),
    path("dienstplan/<int:pk>/dienstplan.csv", downloads.export_csv, name="export_csv"),
    path("dienstplan/<int:pk>/dienstplan.pdf", downloads.export_pdf, name="export_pdf"),
    path("kalender/<token:token>.ics", downloads.calendar, name="calendar"),
    path("meine-dienste/", mine.mine, name="mine"),
    path("meine-dienste/kalender-link/", mine.calendar_renew, name="calendar_renew"),
]
