"""The tracking page at scale: rendered once per version of what it shows, shared through the
cache, answered 304 while the browser's copy is current (tracking/page_cache.py)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from brands.models import Brand
from tests.conftest import require_postgres
from tests.factories import ShipmentFactory
from tests.tracking.conftest import T0
from tracking.models import Shipment
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

PHOTO = "https://pod.carrier.example/p/late.jpg"


@pytest.fixture
def postgres():
    """The page's version is computed by PostgreSQL; elsewhere every request renders the page."""
    require_postgres()


@pytest.fixture
def travelling(brand):
    shipment = ShipmentFactory(brand=brand, carrier="dhl", language="en", to_country="NL")
    event_record(
        shipment=shipment,
        status=Status.IN_TRANSIT,
        occurred_at=T0,
        external_id="a",
        description="Picked up by the courier",
    )
    return shipment


def url(shipment) -> str:
    return f"/track/{shipment.tracking_token}/"


def test_an_unchanged_tracking_page_is_answered_304_without_a_body(client, travelling):
    first = client.get(url(travelling))

    again = client.get(url(travelling), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert again["X-Robots-Tag"].startswith("noindex")


def test_browsers_keep_the_page_and_ask_again_but_shared_caches_keep_nothing(client, travelling):
    response = client.get(url(travelling))

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"private", "no-cache"}  # no-store would keep browsers from revalidating


def test_the_cached_page_changes_after_a_new_event(client, travelling):
    before = client.get(url(travelling))

    event_record(
        shipment=travelling,
        status=Status.OUT_FOR_DELIVERY,
        occurred_at=T0 + timedelta(hours=3),
        external_id="b",
        description="With the delivery courier",
    )
    after = client.get(url(travelling), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    html = after.content.decode()
    assert "With the delivery courier" in html and "Out for delivery" in html


def test_a_late_event_that_leaves_the_status_as_it_is_still_joins_the_page(client, travelling):
    before = client.get(url(travelling))

    # Older than the newest event: the shipment's row does not change, its timeline does.
    event_record(
        shipment=travelling,
        status=Status.READY_TO_SHIP,
        occurred_at=T0 - timedelta(hours=5),
        external_id="late",
        description="Label printed at the warehouse",
    )
    after = client.get(url(travelling))

    assert Shipment.objects.get(pk=travelling.pk).status == Status.IN_TRANSIT
    assert after["ETag"] != before["ETag"] and "Label printed at the warehouse" in after.content.decode()


def test_a_brand_edit_shows_at_once_even_when_written_by_a_bulk_update(client, travelling, brand):
    client.get(url(travelling))

    # A queryset update: no save(), no signal, no auto_now. The page's version still sees it.
    Brand.objects.filter(pk=brand.pk).update(primary_color="#123456", logo_url="https://cdn.example/new.png")
    html = client.get(url(travelling)).content.decode()

    assert "--tk-brand: #123456" in html and "https://cdn.example/new.png" in html


def test_a_delivery_photo_sent_after_the_delivery_shows_on_the_cached_page(client, brand):
    shipment = ShipmentFactory(brand=brand)
    event_record(shipment=shipment, status=Status.DELIVERED, occurred_at=T0, external_id="d")
    assert "tk-photo" not in client.get(url(shipment)).content.decode()

    # The carrier repeats its event with the photo: the event keeps its id, the photo is taken.
    event_record(
        shipment=shipment, status=Status.DELIVERED, occurred_at=T0, external_id="d", proof_of_delivery_url=PHOTO
    )

    assert PHOTO in client.get(url(shipment)).content.decode()


@pytest.mark.postgres
def test_a_cached_page_costs_one_query_and_a_304_too(postgres, client, travelling, django_assert_num_queries):
    first = client.get(url(travelling))

    with django_assert_num_queries(1):
        hit = client.get(url(travelling))
    with django_assert_num_queries(1):
        not_modified = client.get(url(travelling), HTTP_IF_NONE_MATCH=first["ETag"])

    assert hit.content == first.content and not_modified.status_code == 304


@pytest.mark.postgres
def test_the_pollers_bookkeeping_does_not_render_the_page_again(
    postgres, client, travelling, django_assert_num_queries
):
    first = client.get(url(travelling))

    Shipment.objects.filter(pk=travelling.pk).update(
        next_poll_at=timezone.now(), last_polled_at=timezone.now(), poll_failures=2
    )
    with django_assert_num_queries(1):
        again = client.get(url(travelling), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


@pytest.mark.postgres
def test_rendering_a_page_reads_the_events_in_one_query_however_many_there_are(
    postgres, client, brand, django_assert_num_queries
):
    few, many = ShipmentFactory(brand=brand), ShipmentFactory(brand=brand)
    for shipment, count in ((few, 1), (many, 25)):
        for n in range(count):
            event_record(
                shipment=shipment,
                status=Status.IN_TRANSIT,
                occurred_at=T0 + timedelta(minutes=n),
                external_id=f"e{n}",
                location=f"Hub {n}",
            )

    # Its version, the shipment with its brand, its events, its version again (nothing changed).
    with django_assert_num_queries(4):
        client.get(url(few))
    with django_assert_num_queries(4):
        html = client.get(url(many)).content.decode()

    assert "Hub 24" in html and "Hub 0" in html


def test_the_shared_page_carries_nothing_of_a_logged_in_viewer(panel, travelling, member):
    as_member = panel.get(url(travelling))
    as_shopper = Client().get(url(travelling))

    html = as_member.content.decode()
    assert "csrfmiddlewaretoken" not in html and member.email not in html
    assert as_member.content == as_shopper.content and as_member["ETag"] == as_shopper["ETag"]
    assert not as_member.cookies and "Cookie" not in as_member.get("Vary", "")


def test_an_unknown_token_is_never_stored_by_the_browser(client):
    response = client.get("/track/not-a-real-token-at-all/")

    assert response.status_code == 404 and "no-store" in response["Cache-Control"] and "ETag" not in response


@pytest.mark.postgres
def test_with_a_cache_time_of_zero_every_request_renders_the_page(
    postgres, client, travelling, settings, django_assert_num_queries
):
    settings.TRACKING_PAGE_CACHE_SECONDS = 0
    first = client.get(url(travelling))

    with django_assert_num_queries(4):
        again = client.get(url(travelling), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304  # the same bytes: the same ETag


@pytest.mark.postgres
def test_a_page_served_within_the_fresh_second_costs_no_query(
    postgres, settings, client, travelling, django_assert_num_queries
):
    settings.TRACKING_PAGE_FRESH_SECONDS = 60
    first = client.get(url(travelling))

    with django_assert_num_queries(0):
        again = client.get(url(travelling))
        not_modified = client.get(url(travelling), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.content == first.content and not_modified.status_code == 304


@pytest.mark.postgres
def test_a_new_event_shows_once_the_fresh_window_has_passed(postgres, settings, client, travelling, monkeypatch):
    import time

    settings.TRACKING_PAGE_FRESH_SECONDS = 1
    before = client.get(url(travelling)).content
    event_record(shipment=travelling, status=Status.OUT_FOR_DELIVERY, occurred_at=T0 + timedelta(hours=2),
                 external_id="b", description="With the courier today")
    within = client.get(url(travelling)).content
    later = time.time() + 1.5
    monkeypatch.setattr(time, "time", lambda: later)  # LocMemCache's expiry clock

    after = client.get(url(travelling)).content

    assert within == before
    assert b"With the courier today" not in before and b"With the courier today" in after


def test_a_real_tracking_link_is_never_refused_however_often_it_is_reloaded(settings, client, travelling):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "tracking_page": "2/m"}

    reloads = [client.get(url(travelling)).status_code for _ in range(5)]
    junk = [client.get("/track/not-a-token/").status_code for _ in range(3)]

    assert reloads == [200] * 5
    assert junk == [404, 404, 429]
