"""Load a tenant's configuration: its units, schedules, intake points and geography.

A tenant is a folder `kontaktpunkt/tenants/<name>/` with `tenant.json` and `geodata/`. Loading is
idempotent: running it again brings the database to the same state.
"""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from kontaktpunkt.accounts.models import ContactChannel, Unit
from kontaktpunkt.core.models import Schedule, ScheduleDate, ScheduleRule
from kontaktpunkt.geo.services import geodata_import
from kontaktpunkt.intake.models import IntakePoint

TENANTS_DIR = Path(__file__).resolve().parent


class TenantNotFound(LookupError):  # noqa: N818
    pass


def tenant_dir(name: str) -> Path:
    path = TENANTS_DIR / name
    if not (path / "tenant.json").is_file():
        raise TenantNotFound(f"No tenant configuration at {path / 'tenant.json'}")
    return path


def tenant_config(name: str) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(
        (tenant_dir(name) / "tenant.json").read_text(encoding="utf-8")
    )
    return config


def tenant_is_loaded(name: str) -> bool:
    config = tenant_config(name)
    slugs = [p["slug"] for p in config["intake_points"]]
    return IntakePoint.objects.filter(slug__in=slugs).count() == len(slugs)


def tenant_load(*, name: str, dialogue_years: range | None = None) -> None:
    """Bring units, schedules, intake points and geography in line with the tenant's configuration."""
    config = tenant_config(name)
    if config.get("state", settings.KP_STATE_HOLIDAYS) != settings.KP_STATE_HOLIDAYS:
        raise ImproperlyConfigured(
            f"Tenant {name} lies in state {config['state']}, but KP_STATE_HOLIDAYS is "
            f"{settings.KP_STATE_HOLIDAYS}: set KP_STATE_HOLIDAYS={config['state']}."
        )
    today = date.today()  # noqa: DTZ011
    years = dialogue_years or range(today.year - 2, today.year + 2)
    with transaction.atomic():
        schedules = {
            spec["name"]: _schedule_load(spec, years, config) for spec in config["schedules"]
        }
        for spec in config["units"]:
            _unit_load(spec, schedules)
        for spec in config["intake_points"]:
            _intake_point_load(spec, schedules)
        geodata_import(directory=tenant_dir(name) / "geodata")


def _schedule_load(spec: dict[str, Any], years: range, config: dict[str, Any]) -> Schedule:
    schedule, _ = Schedule.objects.update_or_create(
        name=spec["name"],
        defaults={"closed_on_public_holidays": spec.get("closed_on_public_holidays", True)},
    )
    schedule.rules.all().delete()
    for rule in spec.get("rules", []):
        for weekday in rule["weekdays"]:
            ScheduleRule.objects.create(
                schedule=schedule,
                weekday=weekday,
                opens=time.fromisoformat(rule["opens"]),
                closes=time.fromisoformat(rule["closes"]),
                months=rule.get("months", []),
                valid_from=date.fromisoformat(rule["valid_from"])
                if rule.get("valid_from")
                else None,
                valid_until=date.fromisoformat(rule["valid_until"])
                if rule.get("valid_until")
                else None,
            )
    if "dialogue_days" in spec:
        schedule.dates.all().delete()
        ScheduleDate.objects.bulk_create(
            _dialogue_dates(schedule, spec["dialogue_days"], years, config)
        )
    return schedule


def _dialogue_dates(
    schedule: Schedule, rule: dict[str, Any], years: range, config: dict[str, Any]
) -> list[ScheduleDate]:
    """Dialogue days every few weeks on a weekday, rotating over the tenant's weekly markets."""
    markets: list[str] = config.get("dialogue_day_markets", ["Wochenmarkt"])
    day = date(years.start, 1, 1)
    while day.weekday() != rule["weekday"]:
        day += timedelta(days=1)
    dates = []
    index = 0
    while day.year < years.stop:
        dates.append(
            ScheduleDate(
                schedule=schedule,
                date=day,
                opens=time.fromisoformat(rule["opens"]),
                closes=time.fromisoformat(rule["closes"]),
                note=f"{rule['note']}: {markets[index % len(markets)]}",
            )
        )
        index += 1
        day += timedelta(weeks=rule["every_weeks"])
    return dates


def _unit_load(spec: dict[str, Any], schedules: dict[str, Schedule]) -> Unit:
    unit = Unit.objects.get(slug=spec["slug"])
    unit.name = spec["name"]
    unit.short_name = spec.get("short_name", unit.short_name)
    unit.address = spec.get("address", "")
    unit.service_schedule = schedules.get(spec.get("service_schedule", ""))
    unit.save()
    unit.contact_channels.all().delete()
    ContactChannel.objects.bulk_create(
        ContactChannel(
            unit=unit,
            kind=c["kind"],
            value=c["value"],
            label=c.get("label", ""),
            is_primary=c.get("is_primary", False),
        )
        for c in spec.get("contacts", [])
    )
    return unit


def _intake_point_load(spec: dict[str, Any], schedules: dict[str, Schedule]) -> IntakePoint:
    point, _ = IntakePoint.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "kind": spec["kind"],
            "address": spec.get("address", ""),
            "lat": spec.get("lat"),
            "lon": spec.get("lon"),
            "schedule": schedules[spec["schedule"]],
        },
    )
    point.units.set(Unit.objects.filter(slug__in=spec.get("units", [])))
    return point
