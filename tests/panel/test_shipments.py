"""Shipments: search, filters, pagination, the create form (sandbox by default), the detail page
with its timeline, test events and the messages they send."""

import pytest
from django.urls import reverse

from messaging.models import Message
from messaging.services.notifications import channel_document_replace
from tests.factories import BrandFactory, ShipmentFactory, TrackingEventFactory
from tracking.models import Shipment

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return [shipment.tracking_number for shipment in response.context["page"].object_list]


def test_search_finds_tracking_number_order_number_and_recipient(panel, brand):
    ShipmentFactory(brand=brand, tracking_number="JVGL0001", order_number="A-77", recipient_name="Lena Schmidt")
    ShipmentFactory(brand=brand, tracking_number="JVGL0002", order_number="B-88", recipient_name="Hugo Bernard")
    url = reverse("panel:shipment-list")
    assert listed(panel.get(url, {"q": "jvgl 0001"})) == ["JVGL0001"]
    assert listed(panel.get(url, {"q": "B-88"})) == ["JVGL0002"]
    assert listed(panel.get(url, {"q": "schmidt"})) == ["JVGL0001"]


def test_filters_by_brand_status_and_carrier(panel, account, brand):
    other = BrandFactory(account=account, name="Other")
    ShipmentFactory(brand=brand, tracking_number="A1", status="delivered")
    ShipmentFactory(brand=other, tracking_number="B1", status="in_transit", carrier="manual")
    ShipmentFactory(brand=other, tracking_number="B2")
    url = reverse("panel:shipment-list")
    assert listed(panel.get(url, {"brand": other.pk})) == ["B2", "B1"]
    assert listed(panel.get(url, {"status": "delivered"})) == ["A1"]
    assert listed(panel.get(url, {"status": "none"})) == ["B2"]
    assert listed(panel.get(url, {"carrier": "manual"})) == ["B1"]
    empty = panel.get(url, {"q": "nothing-like-this"})
    assert "No shipment matches these filters" in empty.content.decode()


def test_the_list_is_paginated_and_keeps_the_filters(panel, brand):
    ShipmentFactory.create_batch(30, brand=brand)
    response = panel.get(reverse("panel:shipment-list"), {"carrier": "sandbox"})
    assert len(listed(response)) == 25
    html = response.content.decode()
    assert "Page 1 of 2" in html and "?carrier=sandbox&amp;page=2" in html
    assert len(listed(panel.get(reverse("panel:shipment-list"), {"carrier": "sandbox", "page": 2}))) == 5


def test_another_accounts_shipments_are_not_listed(panel, brand, outsider):
    ShipmentFactory(brand=BrandFactory(account=outsider), tracking_number="FOREIGN1")
    assert "FOREIGN1" not in panel.get(reverse("panel:shipment-list")).content.decode()


def test_the_create_form_defaults_to_the_sandbox_carrier(panel, brand):
    form = panel.get(reverse("panel:shipment-create")).context["form"]
    assert form["carrier"].value() == "sandbox" and form["tracking_number"].value().startswith("SBX")


def test_creating_a_shipment_goes_to_its_page(panel, account, brand):
    response = panel.post(reverse("panel:shipment-create"), {
        "brand": brand.pk, "carrier": "sandbox", "tracking_number": "sbx 123", "order_number": "ORD-9",
        "recipient_name": "Daan", "recipient_phone": "+31612345678", "recipient_email": "daan@example.com",
        "language": "nl", "to_country": "NL", "to_postal_code": "1012 AB",
    })
    shipment = Shipment.objects.for_account(account).get()
    assert response.status_code == 302 and response.url == reverse("panel:shipment-detail", args=[shipment.pk])
    assert (shipment.tracking_number, shipment.carrier, shipment.language) == ("SBX123", "sandbox", "nl")


def test_a_shipment_created_with_a_carrier_name_shows_it_in_the_list_and_on_its_page(panel, account, brand):
    panel.post(reverse("panel:shipment-create"), {
        "brand": brand.pk, "carrier": "manual", "carrier_name": " PostNL ", "tracking_number": "3SPOST1",
        "language": "nl", "to_country": "NL",
    })
    shipment = Shipment.objects.for_account(account).get()

    listed_html = panel.get(reverse("panel:shipment-list")).content.decode()
    detail_html = panel.get(reverse("panel:shipment-detail", args=[shipment.pk])).content.decode()

    assert shipment.carrier_name == "PostNL"
    assert "Manual · PostNL" in listed_html and "Manual · PostNL" in detail_html


def test_a_carrier_name_with_a_line_break_is_refused_beside_its_field(panel, account, brand):
    response = panel.post(reverse("panel:shipment-create"), {
        "brand": brand.pk, "carrier": "manual", "carrier_name": "Post\nNL", "tracking_number": "3SPOST1",
        "language": "nl", "to_country": "NL",
    })

    assert "line breaks" in response.context["form"].errors["carrier_name"][0]
    assert not Shipment.objects.for_account(account).exists()


def test_shipment_errors_are_shown_beside_their_fields(panel, account, brand):
    response = panel.post(reverse("panel:shipment-create"), {
        "brand": brand.pk, "carrier": "sandbox", "tracking_number": "SBX1", "recipient_phone": "0612",
        "language": "en", "to_country": "NL",
    })
    assert response.status_code == 200
    assert "E.164" in response.context["form"].errors["recipient_phone"][0]
    assert not Shipment.objects.for_account(account).exists()


def test_the_detail_shows_the_timeline_and_links_the_public_page(panel, brand):
    shipment = ShipmentFactory(brand=brand)
    TrackingEventFactory(shipment=shipment, status="in_transit", location="Venlo hub")
    html = panel.get(reverse("panel:shipment-detail", args=[shipment.pk])).content.decode()
    assert "Venlo hub" in html and "In transit" in html
    assert reverse("tracking:page", args=[shipment.tracking_token]) in html
    assert reverse("panel:shipment-messages", args=[shipment.pk]) in html


def test_a_test_event_moves_the_parcel_and_sends_its_messages(panel, brand, django_capture_on_commit_callbacks):
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {}})
    shipment = ShipmentFactory(brand=brand)

    with django_capture_on_commit_callbacks(execute=True):
        response = panel.post(reverse("panel:shipment-event", args=[shipment.pk]),
                              {"status": "out_for_delivery", "location": "Amsterdam"})

    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == "out_for_delivery"
    message = Message.objects.get(shipment=shipment)
    assert message.channel == "sms" and message.provider == "sandbox"
    fragment = panel.get(reverse("panel:shipment-messages", args=[shipment.pk])).content.decode()
    assert "SMS" in fragment and "Out for delivery" in fragment and f"state-{message.state}" in fragment


def test_real_carriers_take_no_test_events(panel, brand):
    shipment = ShipmentFactory(brand=brand, carrier="dhl")
    assert panel.get(reverse("panel:shipment-detail", args=[shipment.pk])).context["event_form"] is None
    response = panel.post(reverse("panel:shipment-event", args=[shipment.pk]), {"status": "delivered"}, follow=True)
    assert "Only sandbox and manual shipments" in response.content.decode()
    assert not shipment.events.exists()
