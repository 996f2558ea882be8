"""Where an event came from (`source`): in the API, and Parcelcast's own delay on the tracking page."""

from datetime import timedelta

import pytest

from tests.factories import ShipmentFactory
from tests.tracking.conftest import T0
from tracking import presentation, stalls
from tracking.models import LaneStat, Source
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck(brand):
    LaneStat.objects.create(carrier="dhl", country="NL", gaps=200, p90_seconds=6 * 3600, computed_at=T0)
    shipment = ShipmentFactory(brand=brand, carrier="dhl", language="nl", to_country="NL")
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0 - timedelta(hours=1), external_id="a",
                 source=Source.WEBHOOK, description="Sorted at the hub")
    # the last scan: 1 June 22:30 UTC, already 2 June (00:30) in Amsterdam
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0 + timedelta(hours=14, minutes=30),
                 external_id="b", source=Source.POLL, description="Departed the hub")
    stalls.check_due(now=T0 + timedelta(days=3))
    shipment.refresh_from_db()
    return shipment


def test_the_shipment_detail_names_each_events_source(api, stuck):
    response = api.get(f"/api/v1/shipments/{stuck.pk}/")

    assert response.status_code == 200
    assert [(e["status"], e["source"]) for e in response.json()["events"]] == [
        (Status.DELAYED, "parcelcast"), (Status.IN_TRANSIT, "poll"), (Status.IN_TRANSIT, "webhook"),
    ]


def test_the_tracking_page_says_which_carrier_has_not_scanned_since_when_in_the_shoppers_language(client, stuck):
    html = client.get(f"/track/{stuck.tracking_token}/").content.decode()

    assert "Vertraagd" in html  # delayed, in Dutch
    assert "Geen scan van DHL sinds dinsdag 2 juni 2026" in html  # the shopper's date
    assert "Departed the hub" in html  # the carrier's own events keep their own text
    assert "No scan from" not in html


@pytest.mark.parametrize("language, text", [
    ("en", "No scan from DHL since Mon 1 Jun 2026"),
    ("fr", "Aucun scan de DHL depuis le lundi 1 juin 2026"),
    ("de", "Kein Scan von DHL seit Montag, 1. Juni 2026"),
    ("nl", "Geen scan van DHL sinds maandag 1 juni 2026"),
    ("es", "Sin escaneo de DHL desde el lunes 1 de junio de 2026"),
    ("it", "Nessuna scansione di DHL da lunedì 1 giugno 2026"),
])
def test_the_no_scan_note_reads_naturally_in_every_language(language, text):
    since = T0 + timedelta(hours=13, minutes=30)

    assert presentation.no_scan_text(language, carrier="DHL", since=since, zone=presentation.zone_for("NL")) == text
    assert set(presentation.NO_SCAN) == set(presentation.COPY)


def test_a_carrier_event_gets_no_note(stuck):
    events = list(stuck.events.order_by("-occurred_at", "-id"))

    notes = [presentation.stall_note(events, i, "en", carrier="DHL", zone=presentation.zone_for("NL"))
             for i in range(len(events))]

    assert notes == ["No scan from DHL since Tue 2 Jun 2026", None, None]
    assert events[0].description == "No scan from DHL since Mon 1 Jun 2026"  # the API's, in UTC
