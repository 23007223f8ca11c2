"""The independent Open311 client `georeport` (PyPI) reads our server started on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from georeport import GeoReport

from kontaktpunkt.intake.models import Category
from kontaktpunkt.testing.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def published(db):
    Category.objects.update(active=False, is_public=False)
    category = CategoryFactory.create(name="Sperrmüll", open311_service_code="bulky-waste")
    concern = ConcernFactory.create(
        reference="KP-2026-000777",
        category=category,
        reported_at=datetime.now(tz=ZoneInfo("Europe/Berlin")) - timedelta(days=1),
    )
    return category, concern


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_georeport_client_reads_services_and_requests(live_server, published, output_format):
    client = GeoReport(
        f"{live_server.url}/georeport/v2",
        jurisdiction="krefeld.de",
        output_format=output_format,
    )

    services = client.get_service_list()
    requests = client.get_service_requests(status="open")
    one = client.get_service_request("KP-2026-000777")
    definition = client.get_service_definition("bulky-waste")

    codes = [s["service_code"] for s in (services if isinstance(services, list) else [services])]
    assert codes == ["bulky-waste"]
    listed = requests if isinstance(requests, list) else [requests]
    assert [r["service_request_id"] for r in listed] == ["KP-2026-000777"]
    assert one["status"] == "open"
    assert definition["service_code"] == "bulky-waste"
