"""Issue 3 acceptance: from the desk to the resolution, keyboard only, with a second editor meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kontaktpunkt.accounts.models import User
from kontaktpunkt.geo.gazetteer import gazetteer_invalidate
from kontaktpunkt.intake.models import Category, Channel, Concern, ConcernEvent, EventKind, Status
from kontaktpunkt.intake.services import ConcernInput, concern_submit
from kontaktpunkt.tenants.loader import tenant_load

PASSWORD = "geheim-123"


@pytest.fixture
def krefeld(transactional_db):
    tenant_load(name="krefeld")
    gazetteer_invalidate()


@pytest.fixture
def earlier_syringes(krefeld) -> Concern:
    """Syringes reported on the web an hour ago, about 30 m from Königstraße 114."""
    return concern_submit(
        data=ConcernInput(
            channel=Channel.WEB,
            description="Spritzen im Hauseingang",
            category=Category.objects.get(code="cleanliness-syringes"),
            lat=51.33355 + 0.00027,
            lon=6.56175,
            reported_at=timezone.now() - timedelta(hours=1),
        ),
        by=None,
    )


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/anmelden/")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/")


def test_a_walk_in_concern_goes_from_the_desk_to_its_resolution_without_losing_a_word(
    browser: Browser, live_server, earlier_syringes, desk_clerk: User, kod_officer: User
):
    base = live_server.url
    clerk = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    _sign_in(clerk, base, desk_clerk.username)

    # The desk: text, category, address and save in seven keystroke groups, one POST for the save.
    clerk.goto(f"{base}/erfassung/")
    expect(clerk.locator("#id_description")).to_be_focused()
    posts: list[str] = []
    clerk.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    clerk.keyboard.type("Im Hauseingang liegen wieder Spritzen, Kinder spielen dort")
    clerk.keyboard.press("Tab")
    clerk.keyboard.type("spritze")
    clerk.keyboard.press("Enter")
    clerk.keyboard.type("Königstraße 114")
    clerk.keyboard.press("Enter")
    hint = clerk.locator(f"#duplicates .duplicate[data-reference='{earlier_syringes.reference}']")
    expect(hint).to_be_visible()
    clerk.keyboard.press("Control+Enter")
    clerk.wait_for_url(f"{base}/vorgaenge/**")
    assert len(posts) == 1

    concern = Concern.objects.exclude(pk=earlier_syringes.pk).get()
    assert concern.category is not None and concern.category.code == "cleanliness-syringes"
    assert concern.address.startswith("Königstraße 114")
    assert concern.channel == Channel.WALK_IN
    expect(clerk.get_by_text(concern.reference).first).to_be_visible()

    # The clerk assigns it to the KOD and to the officer on duty.
    clerk.get_by_label("Organisationseinheit").select_option(label="KOD")
    expect(clerk.get_by_label("Person")).to_contain_text(str(kod_officer))
    clerk.get_by_label("Person").select_option(label=str(kod_officer))
    clerk.locator("#assign-form").get_by_role("button", name="Zuweisen").click()
    expect(clerk.locator("#timeline")).to_contain_text("KOD")
    concern.refresh_from_db()
    assert (concern.status, concern.assignee) == (Status.ASSIGNED, kod_officer)

    # A second editor opens the concern now and writes a note while the officer works.
    second = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    _sign_in(second, base, desk_clerk.username)
    second.goto(f"{base}/vorgaenge/{concern.reference}/")

    officer = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    _sign_in(officer, base, kod_officer.username)
    officer.goto(f"{base}/vorgaenge/?scope=mine")
    officer.get_by_role("link", name=concern.reference).click()
    officer.wait_for_url(f"{base}/vorgaenge/{concern.reference}/")

    officer.get_by_label("Interne Notiz (nur für Mitarbeitende)").check()
    officer.locator("#note-form textarea").fill("Streife vor Ort, 4 Spritzen sichergestellt.")
    officer.locator("#note-form").get_by_role("button", name="Speichern").click()
    expect(officer.locator("#timeline")).to_contain_text("4 Spritzen sichergestellt")

    officer.get_by_label("Öffentliche Antwort (auf der Statusseite sichtbar)").check()
    officer.locator("#note-form textarea").fill(
        "Danke für Ihren Hinweis, die Spritzen wurden entfernt."
    )
    officer.locator("#note-form").get_by_role("button", name="Speichern").click()
    expect(officer.locator("#timeline")).to_contain_text("die Spritzen wurden entfernt")

    officer.locator("#transition-form").get_by_role("button", name="Als erledigt markieren").click()
    expect(officer.locator("#case")).to_contain_text("erledigt")

    # The second editor's note was based on an old version: refused, shown what changed, nothing lost.
    typed = "Anwohnerin hat nochmals angerufen."
    second.locator("#note-form textarea").fill(typed)
    second.locator("#note-form").get_by_role("button", name="Speichern").click()
    expect(second.locator("#conflict-title")).to_be_visible()
    expect(second.locator(".timeline--conflict")).to_contain_text("4 Spritzen sichergestellt")
    expect(second.locator("#note-form textarea")).to_have_value(typed)
    second.locator("#note-form").get_by_role("button", name="Speichern").click()
    expect(second.locator("#timeline")).to_contain_text(typed)

    concern.refresh_from_db()
    assert concern.status == Status.RESOLVED and concern.resolved_at is not None
    kinds = list(ConcernEvent.objects.filter(concern=concern).values_list("kind", flat=True))
    assert kinds.count(EventKind.NOTE) == 2 and kinds.count(EventKind.REPLY) == 1
    texts = set(ConcernEvent.objects.filter(concern=concern).values_list("text", flat=True))
    assert {typed, "Streife vor Ort, 4 Spritzen sichergestellt."} <= texts
