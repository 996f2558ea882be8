"""The tracking page's words per status, the branded "link does not work" page and the lookup page,
in each of the six languages."""

from datetime import date
from html import unescape

import pytest

from core.languages import LANGUAGES
from core.not_found_copy import COPY as NOT_FOUND
from tests.factories import BrandFactory, ShipmentFactory
from tests.tracking.conftest import T0
from tracking.presentation import COPY as PAGE
from tracking.services import event_record
from tracking.status_guidance import COPY as GUIDANCE
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

RETURNS = (Status.RETURN_LABEL_CREATED, Status.RETURN_DROPPED_OFF, Status.RETURN_RECEIVED)


def shipment_in(brand, status, language="en", **fields):
    shipment = ShipmentFactory(brand=brand, carrier="dhl", language=language, to_country="DE",
                               expected_delivery=date(2037, 6, 4), **fields)
    event_record(shipment=shipment, status=status, occurred_at=T0, external_id=status,
                 location=fields.get("pickup_point", ""))
    return shipment


def page(client, shipment, **headers) -> str:
    response = client.get(f"/track/{shipment.tracking_token}/", **headers)
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", RETURNS)
def test_a_return_never_speaks_of_expected_delivery(client, brand, status, language):
    html = page(client, shipment_in(brand, status, language))

    assert PAGE[language]["expected_delivery"] not in html
    assert PAGE[language]["delivered_on"] not in html
    assert GUIDANCE[language][status].replace("{brand}", brand.name) in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_failed_delivery_says_what_to_do_next(client, brand, language):
    html = page(client, shipment_in(brand, Status.DELIVERY_FAILED, language))

    copy = GUIDANCE[language]
    assert 'data-guidance="failed"' in html
    assert copy["failed_heading"] in html and copy["failed_text"] in html
    assert copy["failed_carrier"].replace("{carrier}", "DHL") in html
    assert "https://www.dhl.com/" in html.split('data-guidance="failed"')[1].split("</section>")[0]
    assert copy["failed_brand"].replace("{brand}", brand.name) in html and 'href="#tk-help"' in html
    assert PAGE[language]["expected_delivery"] not in html  # the old date has passed


@pytest.mark.parametrize("language", LANGUAGES)
def test_ready_for_pickup_shows_the_pickup_point(client, brand, language):
    point = "DHL Packstation 112, Hauptstraße 5, 10827 Berlin"
    html = page(client, shipment_in(brand, Status.READY_FOR_PICKUP, language, pickup_point=point))

    card = html.split('data-guidance="pickup"')[1].split("</section>")[0]
    assert f'<address class="tk-place">{point}</address>' in card
    assert GUIDANCE[language]["pickup_text"] in card and "openstreetmap.org/search?query=DHL%20Packstation" in card
    assert PAGE[language]["expected_delivery"] not in html


def test_ready_for_pickup_without_a_point_says_where_to_look(client, brand):
    html = page(client, shipment_in(brand, Status.READY_FOR_PICKUP))

    assert GUIDANCE["en"]["pickup_unknown"] in html and "tk-place" not in html


def test_a_parcel_on_its_way_still_shows_its_expected_delivery(client, brand):
    html = page(client, shipment_in(brand, Status.IN_TRANSIT))

    assert "Expected delivery" in html and "data-guidance" not in html


@pytest.mark.parametrize("status", [Status.IN_TRANSIT, Status.DELAYED])
def test_an_expected_delivery_gone_by_is_not_shown_as_the_parcels_expectation(client, brand, status):
    shipment = shipment_in(brand, status)
    shipment.expected_delivery = date(2026, 6, 4)  # before today: a stalled parcel's old estimate
    shipment.save(update_fields=["expected_delivery"])

    html = page(client, shipment)

    assert "Expected delivery" not in html and "4 June" not in html


def test_the_whatsapp_button_label_cannot_break_inside_the_word(client, brand):
    html = page(client, shipment_in(brand, Status.IN_TRANSIT))

    assert '<span class="tk-button-label">WhatsApp</span> <span class="tk-nowrap">' in html


# --- the branded "link does not work" page ------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_tracking_link_gets_the_branded_page_in_the_browsers_language(client, brand, language):
    response = client.get("/track/not-a-real-token-at-all/", HTTP_ACCEPT_LANGUAGE=f"{language}-XX,{language};q=0.9")

    html = unescape(response.content.decode())
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html and "tk-page" in html
    assert NOT_FOUND[language]["heading"] in html and NOT_FOUND[language]["tracking_hint"] in html
    assert "Not Found" not in html and response["X-Robots-Tag"].startswith("noindex")


def test_an_unknown_brand_slug_gets_the_branded_page_too(client, db):
    response = client.get("/track/b/no-such-brand/", HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 404 and NOT_FOUND["nl"]["heading"] in unescape(response.content.decode())


def test_a_path_under_track_that_matches_no_route_gets_the_branded_page(client, db):
    response = client.get("/track/", HTTP_ACCEPT_LANGUAGE="it")

    assert response.status_code == 404 and NOT_FOUND["it"]["heading"] in unescape(response.content.decode())


def test_the_panels_404_is_not_the_shoppers_page(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404 and NOT_FOUND["fr"]["heading"] not in unescape(response.content.decode())


def test_without_accept_language_the_not_found_page_is_english(client, db):
    assert NOT_FOUND["en"]["heading"] in client.get("/track/nope/").content.decode()


# --- the lookup page --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lookup_page_is_in_the_browsers_language_and_the_brands_colours(client, account, language):
    BrandFactory(account=account, slug="fjellsko", default_language="nl", primary_color="#0f766e",
                 logo_url="https://cdn.example.com/fjellsko.png")

    html = unescape(client.get("/track/b/fjellsko/", HTTP_ACCEPT_LANGUAGE=language).content.decode())

    copy = PAGE[language]
    assert f'<html lang="{language}">' in html
    assert copy["lookup_title"] in html and copy["order_number"] in html and copy["submit"] in html
    assert "--tk-brand: #0f766e" in html and 'src="https://cdn.example.com/fjellsko.png"' in html


def test_a_lookup_miss_answers_in_the_browsers_language(client, account):
    BrandFactory(account=account, slug="fjellsko", default_language="nl")

    response = client.post("/track/b/fjellsko/", {"order_number": "x", "postal_code": "y"}, HTTP_ACCEPT_LANGUAGE="es")

    assert PAGE["es"]["not_found"] in unescape(response.content.decode())
