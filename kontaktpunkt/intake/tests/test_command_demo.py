"""The `kontaktpunkt demo` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kontaktpunkt.accounts.models import User
from kontaktpunkt.intake.models import Concern, ConcernEvent, ReferenceCounter

pytestmark = pytest.mark.django_db


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


def test_force_rebuilds_the_same_world_from_the_same_seed_and_keeps_counting_references() -> None:
    _demo()
    users = User.objects.count()
    first = _world()
    _demo("--force")
    assert _world() == first
    assert Concern.objects.count() == 150
    assert User.objects.count() == users
    assert ReferenceCounter.objects.get(prefix="KP", year=2025).last_number == 300
    assert Concern.objects.order_by("reference").first().reference == "KP-2025-000151"  # type: ignore[union-attr]


def test_a_year_in_the_future_is_refused() -> None:
    with pytest.raises(CommandError, match="Zukunft"):
        _demo("--year", "2999")
