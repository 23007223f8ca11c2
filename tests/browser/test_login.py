"""The sign-in page, driven with the keyboard in headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kontaktpunkt.accounts.models import User

PASSWORD = "richtig-geheim-42"


@pytest.fixture
def erika() -> User:
    return User.objects.create_user(
        username="erika", password=PASSWORD, first_name="Erika", last_name="Mustermann"
    )


def test_the_sign_in_page_is_in_german(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/anmelden/")

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_title("Anmelden · Kontaktpunkt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    expect(page.get_by_label("Benutzername", exact=True)).to_be_visible()
    expect(page.get_by_label("Passwort", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()


def test_a_user_signs_in_with_the_keyboard_and_sees_their_name(
    page: Page, live_server: LiveServer, erika: User
) -> None:
    page.goto(f"{live_server.url}/anmelden/")

    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("erika")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Erika Mustermann")


def test_a_wrong_password_shows_the_error_and_keeps_the_user_name(
    page: Page, live_server: LiveServer, erika: User
) -> None:
    page.goto(f"{live_server.url}/anmelden/")

    page.keyboard.type("erika")
    page.keyboard.press("Tab")
    page.keyboard.type("falsch")
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_have_text(
        "Benutzername oder Passwort ist falsch. Bitte versuchen Sie es erneut."
    )
    expect(page).to_have_url(re.compile(r"/anmelden/$"))
    expect(page.locator("#id_username")).to_have_value("erika")
    expect(page.locator("#id_password")).to_have_value("")
