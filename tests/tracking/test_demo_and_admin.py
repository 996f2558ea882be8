from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import BrandFactory, ShipmentFactory, UserFactory
from tests.tracking.conftest import T0
from tracking import demo, presentation
from tracking.models import Shipment, Source
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_due_sandbox_shipments_for_every_brand_once(account):
    BrandFactory.create_batch(2, account=account)

    created = demo.seed(account)
    again = demo.seed(account)

    shipments = Shipment.objects.for_account(account)
    # + the stuck one (first brand) and the shopper not on WhatsApp (second brand)
    assert len(created) == shipments.count() == 2 * len(demo.PARCELS) + 2 and again == []
    assert set(shipments.values_list("carrier", flat=True)) == {"sandbox"}
    assert set(shipments.values_list("to_country", flat=True)) == {"NL", "DE", "FR", "BE", "ES"}
    assert all(s.next_poll_at <= timezone.now() for s in shipments.exclude(tracking_number__contains="STUCK"))
    assert all(s.recipient_phone.startswith("+") and "@" in s.recipient_email for s in shipments)


def test_the_demo_shows_one_stuck_parcel_with_parcelcasts_own_delay(account):
    first, second = BrandFactory.create_batch(2, account=account)

    demo.seed(account)

    [stuck] = Shipment.objects.for_account(account).filter(events__source=Source.PARCELCAST)
    assert stuck.brand == first and "STUCK" in stuck.tracking_number and stuck.status == Status.DELAYED
    assert timezone.now() - stuck.last_scan_at > demo.STUCK_SILENT_FOR - timedelta(minutes=1)
    assert stuck.events.filter(source=Source.POLL).count() == 4  # the carrier's scans, as polled


def test_the_demo_gives_the_second_brand_a_shopper_not_on_whatsapp(account):
    _first, second = BrandFactory.create_batch(2, account=account)

    demo.seed(account)

    [parcel] = Shipment.objects.for_account(account).filter(recipient_phone__endswith="0000")
    assert parcel.brand == second and parcel.to_country == "NL" and parcel.next_poll_at <= timezone.now()


def test_the_demo_leaves_other_accounts_alone(account, outsider):
    BrandFactory(account=account)
    BrandFactory(account=outsider)

    demo.seed(account)

    assert not Shipment.objects.for_account(outsider).exists()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_shipments_and_events_and_shows_a_shipment_with_its_events(admin_client, brand):
    shipment = ShipmentFactory(brand=brand)
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, description="At the hub")

    assert admin_client.get("/admin/tracking/shipment/?carrier=sandbox&status=in_transit").status_code == 200
    assert admin_client.get("/admin/tracking/trackingevent/").status_code == 200
    assert admin_client.get("/admin/tracking/lanestat/").status_code == 200
    detail = admin_client.get(f"/admin/tracking/shipment/{shipment.pk}/change/")
    assert detail.status_code == 200 and "At the hub" in detail.content.decode()


@pytest.mark.parametrize("colour, ink", [("#0f766e", "#ffffff"), ("#fde047", "#111827"), ("#ffffff", "#111827"),
                                         ("#111111", "#ffffff"), ("nonsense", "#ffffff")])
def test_text_on_the_brand_colour_stays_readable(colour, ink):
    assert presentation.ink_for(colour) == ink


@pytest.mark.parametrize("status, states", [
    (None, ["todo", "todo", "todo", "todo"]),
    (Status.READY_TO_SHIP, ["current", "todo", "todo", "todo"]),
    (Status.DELAYED, ["done", "current", "todo", "todo"]),
    (Status.DELIVERED, ["done", "done", "done", "done"]),
    (Status.RETURN_DROPPED_OFF, ["done", "current", "todo"]),
])
def test_the_progress_bar_follows_the_status(status, states):
    assert [step.state for step in presentation.progress(status, "en")] == states


def test_every_language_has_every_page_string():
    keys = set(presentation.COPY["en"])

    assert all(set(strings) == keys for strings in presentation.COPY.values())
