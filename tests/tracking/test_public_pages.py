"""The shopper's pages: /track/<token>/ and the lookup /track/b/<brand_slug>/."""

import re
from datetime import date, timedelta

import pytest

from tests.factories import BrandFactory, ShipmentFactory
from tests.tracking.conftest import T0
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


def page(client, shipment):
    return client.get(f"/track/{shipment.tracking_token}/")


@pytest.fixture
def travelling(brand):
    shipment = ShipmentFactory(brand=brand, carrier="dhl", tracking_number="00340434161094015902",
                               language="nl", to_country="NL", expected_delivery=date(2037, 6, 4), order_number="A-77")
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a",
                 description="Picked up by the courier", location="Venlo, NL")
    event_record(shipment=shipment, status=Status.OUT_FOR_DELIVERY, occurred_at=T0 + timedelta(hours=20),
                 external_id="b", description="With the delivery courier", location="Amsterdam, NL")
    return shipment


def test_the_tracking_page_shows_status_in_the_shipments_language_and_the_brand(client, travelling, brand):
    response = page(client, travelling)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Wordt vandaag bezorgd" in html  # out_for_delivery in Dutch
    assert brand.name in html and brand.primary_color in html
    assert "00340434161094015902" in html and "A-77" in html
    assert "support@example.com" in html and "https://wa.me/31612345678" in html
    assert "donderdag 4 juni" in html  # the expected delivery, in Dutch
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_timeline_lists_events_newest_first_in_the_shoppers_time(client, travelling):
    html = page(client, travelling).content.decode()

    assert html.index("With the delivery courier") < html.index("Picked up by the courier")
    assert "06:00" in html  # 04:00 UTC is 06:00 in Amsterdam (summer time)


def test_the_progress_bar_marks_the_current_step(client, travelling):
    html = page(client, travelling).content.decode()

    steps = re.findall(r'class="tk-step is-(\w+)', html)
    assert steps == ["done", "done", "current", "todo"]


def test_a_shipment_without_events_shows_it_is_waiting_for_the_first_scan(client, brand):
    html = page(client, ShipmentFactory(brand=brand, language="en")).content.decode()

    assert "Waiting for the first scan" in html and "as soon as the carrier scans" in html


def test_the_page_escapes_what_merchants_and_carriers_write(client, account):
    brand = BrandFactory(account=account, name="<script>alert(1)</script>", primary_color="#112233")
    shipment = ShipmentFactory(brand=brand, order_number='"><img src=x onerror=alert(2)>')
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, description="<b>hub</b>")

    html = page(client, shipment).content.decode()

    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>hub</b>" not in html


def test_a_colour_that_is_not_a_hex_colour_never_reaches_the_style(client, account):
    brand = BrandFactory(account=account)
    type(brand).objects.filter(pk=brand.pk).update(primary_color="red;a:b")  # 7 characters fit the column
    shipment = ShipmentFactory(brand=brand)

    html = page(client, shipment).content.decode()

    assert "red;a:b" not in html and "--tk-brand: #4f46e5" in html


def test_the_page_names_the_carrier_by_the_shipments_carrier_name(client, brand):
    shipment = ShipmentFactory(brand=brand, carrier="manual", carrier_name="PostNL")

    html = page(client, shipment).content.decode()

    assert "<dd>PostNL</dd>" in html and "Manual" not in html


def test_a_manual_shipment_without_carrier_name_shows_no_carrier(client, brand):
    shipment = ShipmentFactory(brand=brand, carrier="manual", language="en")

    html = page(client, shipment).content.decode()

    assert "Carrier</dt>" not in html and "Manual" not in html


def test_a_known_carrier_is_shown_by_its_name(client, travelling):
    assert "<dd>DHL</dd>" in page(client, travelling).content.decode()


def test_an_unknown_token_is_a_404(client, brand):
    ShipmentFactory(brand=brand)

    assert client.get("/track/not-a-real-token-at-all/").status_code == 404


def test_a_delivered_parcel_says_when_it_was_delivered(client, brand):
    shipment = ShipmentFactory(brand=brand, language="de", to_country="DE")
    event_record(shipment=shipment, status=Status.DELIVERED, occurred_at=T0, external_id="d")

    html = page(client, shipment).content.decode()

    assert "Zugestellt am" in html and "Montag 1 Juni" in html.replace(".", "")


# --- lookup ------------------------------------------------------------------------------------


def lookup(client, slug, order_number, postal_code):
    return client.post(f"/track/b/{slug}/", {"order_number": order_number, "postal_code": postal_code})


def test_the_lookup_form_is_shown_in_the_brands_language(client, account):
    BrandFactory(account=account, slug="fjellsko", default_language="nl")

    html = client.get("/track/b/fjellsko/").content.decode()

    assert "Bestelnummer" in html and "Postcode" in html and 'name="csrfmiddlewaretoken"' in html


def test_a_matching_order_and_postal_code_redirect_to_the_tracking_page(client, brand):
    shipment = ShipmentFactory(brand=brand, order_number="A-1001", to_postal_code="1012 AB")

    response = lookup(client, brand.slug, " A-1001 ", "1012ab")

    assert response.status_code == 302 and response["Location"] == f"/track/{shipment.tracking_token}/"


def _neutral(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_mismatch_reveals_nothing_whichever_part_is_wrong(client, brand, account):
    ShipmentFactory(brand=brand, order_number="A-1001", to_postal_code="1012 AB")
    other_brand = BrandFactory(account=account)
    ShipmentFactory(brand=other_brand, order_number="B-1", to_postal_code="9999 ZZ")

    wrong_postal = lookup(client, brand.slug, "A-1001", "9999 ZZ")
    wrong_order = lookup(client, brand.slug, "A-9999", "1012 AB")
    both_wrong = lookup(client, brand.slug, "nope", "nope")
    other_brands_order = lookup(client, brand.slug, "B-1", "9999 ZZ")
    empty = lookup(client, brand.slug, "", "")

    responses = [wrong_postal, wrong_order, both_wrong, other_brands_order, empty]
    assert {r.status_code for r in responses} == {200}
    assert len({_neutral(r) for r in responses}) == 1
    assert "No parcel found with those details" in _neutral(wrong_postal)
    assert "A-1001" not in _neutral(wrong_postal) and "1012" not in _neutral(wrong_order)


def test_an_unknown_brand_slug_is_a_404(client, db):
    assert client.get("/track/b/no-such-brand/").status_code == 404
