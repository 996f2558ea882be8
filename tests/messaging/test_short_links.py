"""SMS short links /s/<code>: derived with an HMAC (no row, no query at planning), unguessable,
and they only ever open our own tracking or unsubscribe page."""

import pytest
from django.test import override_settings

from messaging import short_links
from messaging.optout_tokens import read_optout_token
from messaging.rendering import tag_values
from tests.factories import ShipmentFactory

pytestmark = pytest.mark.django_db


def _code(url: str) -> str:
    return url.rsplit("/s/", 1)[1]


def test_the_tracking_short_link_redirects_to_the_shipments_tracking_page(client):
    shipment = ShipmentFactory()
    tracking, _ = short_links.shipment_short_urls(shipment)

    response = client.get(f"/s/{_code(tracking)}")

    assert response.status_code == 302
    assert response["Location"] == shipment.tracking_url


def test_the_unsubscribe_short_link_opens_the_unsubscribe_page_of_the_number_the_sms_went_to(client):
    shipment = ShipmentFactory(recipient_phone="+31687654321")
    _, unsubscribe = short_links.shipment_short_urls(shipment)

    response = client.get(f"/s/{_code(unsubscribe)}")

    assert response.status_code == 302
    target = read_optout_token(response["Location"].split("/unsubscribe/")[1].rstrip("/"))
    assert (target.brand_id, target.recipient) == (shipment.brand_id, "+31687654321")


def test_codes_are_at_least_ten_base62_characters_of_signature_and_differ_per_link():
    shipment = ShipmentFactory()
    tracking, unsubscribe = (_code(url) for url in short_links.shipment_short_urls(shipment))

    assert tracking != unsubscribe
    assert len(tracking) >= 11 and tracking.isalnum()


@pytest.mark.parametrize("code", ["", "abc", "0000000000000", "K8hM7FshZ8zhaR", "../../evil.example", "a" * 40])
def test_an_unknown_or_malformed_code_is_a_404(client, code):
    ShipmentFactory()
    assert client.get(f"/s/{code}").status_code == 404


def test_a_code_with_one_character_changed_is_a_404(client):
    shipment = ShipmentFactory()
    code = _code(short_links.shipment_short_urls(shipment)[0])
    forged = code[:-1] + ("a" if code[-1] != "a" else "b")

    assert client.get(f"/s/{forged}").status_code == 404


def test_a_code_for_one_shipment_does_not_open_another_by_changing_its_id(client):
    first, second = ShipmentFactory(), ShipmentFactory()
    code = _code(short_links.shipment_short_urls(first)[0])
    parsed = short_links.parse_code(code)
    other_head = short_links._b62(second.pk * 2 + parsed.kind)

    assert client.get(f"/s/{other_head}{parsed.mac}").status_code == 404


def test_the_unsubscribe_link_stops_working_once_the_shipment_has_another_number(client):
    shipment = ShipmentFactory(recipient_phone="+31612345678")
    code = _code(short_links.shipment_short_urls(shipment)[1])
    shipment.recipient_phone = "+31699999999"
    shipment.save(update_fields=["recipient_phone"])

    assert client.get(f"/s/{code}").status_code == 404


def test_links_made_before_a_key_rotation_keep_working_through_the_fallback_key(client, settings):
    shipment = ShipmentFactory()
    code = _code(short_links.shipment_short_urls(shipment)[0])

    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert client.get(f"/s/{code}").status_code == 302


def test_short_links_use_short_link_base_url_when_set(settings):
    settings.SHORT_LINK_BASE_URL = "https://pcst.eu"
    shipment = ShipmentFactory()

    values = tag_values(brand=shipment.brand, channel="sms", status="delivered", language="en", shipment=shipment)

    assert values["tracking_url"].startswith("https://pcst.eu/s/")
    assert values["unsubscribe_url"].startswith("https://pcst.eu/s/")


def test_sms_values_have_short_links_and_whatsapp_values_keep_the_full_ones():
    shipment = ShipmentFactory()

    sms = tag_values(brand=shipment.brand, channel="sms", status="delivered", language="en", shipment=shipment)
    whatsapp = tag_values(brand=shipment.brand, channel="whatsapp", status="delivered", language="en",
                          shipment=shipment)

    assert "/s/" in sms["tracking_url"] and whatsapp["tracking_url"] == shipment.tracking_url
    assert "/unsubscribe/" in whatsapp["unsubscribe_url"]


def test_making_short_links_reads_nothing(django_assert_num_queries):
    shipment = ShipmentFactory()

    with django_assert_num_queries(0):
        short_links.shipment_short_urls(shipment)
