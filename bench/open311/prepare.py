"""Set up one side of bench_open311 in its own process and database, and count its SQL.

    python -m bench.open311.prepare ours    (DJANGO_SETTINGS_MODULE=kontaktpunkt.config.settings)
    python -m bench.open311.prepare floor   (DJANGO_SETTINGS_MODULE=bench.open311.floor.settings)

ours: migrate, load the Krefeld tenant, issue one API key; floor: create the one table. Then one
in-process POST through the Django test client warms the caches and a second one is counted with
CaptureQueriesContext. Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
from typing import Any

SERVICE_CODE = "kp-litter"
TEXT = "Seit Tagen liegt hier Müll neben den Containern, bitte kümmern Sie sich darum."


def _count(path: str, form: dict[str, str]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.post(path, {**form, "description": f"{TEXT} [prepare-1]"})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, {**form, "description": f"{TEXT} [prepare-2]"})
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")
    kinds: dict[str, int] = {}
    for query in captured.captured_queries:
        word = query["sql"].split(None, 1)[0].upper()
        kinds[word] = kinds.get(word, 0) + 1
    return {"queries": len(captured.captured_queries), "kinds": kinds}


def ours() -> dict[str, Any]:
    from django.core.management import call_command

    from kontaktpunkt.open311.services import api_key_issue
    from kontaktpunkt.tenants.loader import tenant_load

    call_command("migrate", verbosity=0, interactive=False)
    tenant_load(name="krefeld")
    # High enough that no request of the benchmark meets the limit (the limit is still checked).
    _key, raw = api_key_issue(client_name="bench", rate_limit_per_minute=10_000_000, by=None)
    form = {"api_key": raw, "service_code": SERVICE_CODE, "lat": "51.33283", "long": "6.56262"}
    return {"api_key": raw, **_count("/georeport/v2/requests.json", form)}


def floor() -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    return _count("/requests.json", {"lat": "51.33283", "long": "6.56262"})


def main(argv: list[str]) -> int:
    import django

    django.setup()
    if argv == ["ours"]:
        print(json.dumps(ours()))
    elif argv == ["floor"]:
        print(json.dumps(floor()))
    else:
        sys.exit("usage: python -m bench.open311.prepare ours|floor")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
