"""The `kontaktpunkt demo` command, run at a fixed now (21 November 2026)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kontaktpunkt.accounts.models import User
from kontaktpunkt.intake.models import Concern, ConcernEvent, ReferenceCounter

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--concerns", "150", "--seed", "7", *args, stdout=out)
    return out.getvalue()


def test_it_builds_the_world_with_progress_and_prints_a_login_per_role() -> None:
    output = _demo()
    assert Concern.objects.count() == 150
    assert "Mandant krefeld geladen" in output
    assert "Anliegen 100 %" in output
    assert "Demo-Welt in" in output
    for username in ("demo-schalter", "demo-kod", "demo-kod-leitung", "demo-streetwork"):
        assert username in output
    for username in ("demo-stadtbetrieb", "demo-analyse", "demo-admin", "demo-datenschutz"):
        assert username in output
    assert "demo-kontaktpunkt-2026" in output


def test_running_it_again_only_prints_the_logins() -> None:
    _demo()
    before = (Concern.objects.count(), ConcernEvent.objects.count(), User.objects.count())
    output = _demo()
    assert "besteht bereits" in output
    assert "demo-admin" in output
    assert (Concern.objects.count(), ConcernEvent.objects.count(), User.objects.count()) == before


def _world() -> list[tuple[object, ...]]:
    rows = Concern.objects.order_by("reported_at", "reference").values_list(
        "reported_at", "channel", "category__code", "status", "description", "address"
    )
    return list(rows)


def _per_year() -> Counter[int]:
    return Counter(
        int(r.split("-")[1]) for r in Concern.objects.values_list("reference", flat=True)
    )


def test_force_rebuilds_the_same_world_from_the_same_seed_and_keeps_counting_references() -> None:
    _demo()
    users = User.objects.count()
    first = _world()
    per_year = _per_year()
    _demo("--force")
    assert _world() == first
    assert Concern.objects.count() == 150
    assert User.objects.count() == users
    assert _per_year() == per_year
    for year, count in per_year.items():
        assert ReferenceCounter.objects.get(prefix="KP", year=year).last_number == 2 * count
        lowest = Concern.objects.filter(reference__startswith=f"KP-{year}-").order_by("reference")
        assert lowest.first().reference == f"KP-{year}-{count + 1:06d}"  # type: ignore[union-attr]


def test_by_default_the_concerns_fall_in_the_365_days_ending_now() -> None:
    output = _demo()
    times = list(Concern.objects.values_list("reported_at", flat=True))
    assert all(NOW - timedelta(days=365) <= t <= NOW for t in times)
    assert min(times) < NOW - timedelta(days=330)
    assert max(times) > NOW - timedelta(days=21)
    assert "(21.11.2025 bis 21.11.2026)" in output


def test_references_cover_both_years_and_each_years_counter_equals_its_highest_number() -> None:
    _demo()
    highest: dict[int, int] = {}
    for reference, reported_at in Concern.objects.values_list("reference", "reported_at"):
        match = re.fullmatch(r"KP-(\d{4})-(\d{6})", reference)
        assert match, reference
        assert int(match[1]) == reported_at.astimezone(TZ).year
        highest[int(match[1])] = max(highest.get(int(match[1]), 0), int(match[2]))
    assert set(highest) == {2025, 2026}
    for year, number in highest.items():
        assert ReferenceCounter.objects.get(prefix="KP", year=year).last_number == number


def test_year_2025_still_builds_that_calendar_year() -> None:
    output = _demo("--year", "2025")
    times = list(Concern.objects.values_list("reported_at", flat=True))
    assert {t.astimezone(TZ).year for t in times} == {2025}
    assert min(times).astimezone(TZ).month == 1
    assert max(times).astimezone(TZ).month == 12
    assert all(
        r.startswith("KP-2025-") for r in Concern.objects.values_list("reference", flat=True)
    )
    assert ReferenceCounter.objects.get(prefix="KP", year=2025).last_number == 150
    assert not ReferenceCounter.objects.filter(year=2026).exists()
    assert "(01.01.2025 bis 31.12.2025)" in output


def test_a_year_in_the_future_is_refused() -> None:
    with pytest.raises(CommandError, match="Zukunft"):
        _demo("--year", "2999")
