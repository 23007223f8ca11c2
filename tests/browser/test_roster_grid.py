"""The roster grid in headless Chromium: a hand edit that breaks the rest time shows the German
violation at once, and publishing is refused until it is fixed.

Marked `browser` (run with `pytest -m browser kontaktpunkt/roster/tests/test_browser_grid.py`); it
brings its own Playwright fixtures, the same as tests/browser/conftest.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kontaktpunkt.accounts.models import User
from kontaktpunkt.roster.models import RosterPlan, VersionStatus
from kontaktpunkt.roster.tests.factories import tiny_plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MONDAY = date(2025, 1, 6)
REST = "KOD-01: Ruhezeit zwischen Spätdienst am Mo 06.01.2025 und Frühdienst am Di 07.01.2025"


def _sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(f"{live_server.url}/anmelden/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("geheim-123")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")


def _set_cell(page: Page, name: str, shift: str, post: str = "") -> None:
    page.get_by_role("link", name=name).click()
    editor = page.locator("#editor form")
    expect(editor).to_be_visible()
    editor.locator("select[name=shift_type]").select_option(label=shift)
    editor.locator("select[name=post]").select_option(post)
    editor.locator("button[type=submit]").click()


def test_a_late_shift_followed_by_an_early_one_is_shown_at_once_and_blocks_publishing(
    page: Page, live_server: LiveServer, kod_lead: User
) -> None:
    plan = tiny_plan(start=MONDAY)
    _sign_in(page, live_server, kod_lead)
    page.goto(f"{live_server.url}/dienstplan/{plan.pk}/")

    _set_cell(
        page, "KOD-01, Di 07.01.: Spätdienst, Teamleitung im Dienst", "Frühdienst (06:00-14:00)"
    )

    violations = page.locator(".violations")
    expect(violations).to_contain_text(REST)
    expect(page.locator("td.problem")).not_to_have_count(0)

    page.get_by_role("button", name="Entwurf veröffentlichen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator(".violations")).to_contain_text(REST)
    assert RosterPlan.objects.get(pk=plan.pk).versions.get(number=2).status == VersionStatus.DRAFT

    _set_cell(
        page,
        "KOD-01, Di 07.01.: Frühdienst, Streife (zu zweit), Regelverstoß",
        "Spätdienst (14:00-22:00)",
        "team_lead",
    )
    expect(page.locator(".violations")).to_have_count(0)
    page.get_by_role("button", name="Entwurf veröffentlichen").click()
    expect(page.locator(".badge.published")).to_be_visible()
