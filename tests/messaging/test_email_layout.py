"""The designed e-mail: the brand's colour and logo, a bulletproof "Track your parcel" button in
the message's language, readable text on any brand colour, a dark-mode palette."""

import pytest

from messaging.dispatch.composing import compose
from messaging.email_layout import contrast, text_on
from tests.factories import BrandFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


def _email(brand, language="en"):
    shipment = ShipmentFactory(brand=brand, language=language, recipient_email="sam@example.com")
    return shipment, compose(brand=brand, shipment=shipment, channel="email", status="out_for_delivery")


def test_the_email_has_the_brands_colour_logo_and_a_track_button_to_the_tracking_page():
    brand = BrandFactory(primary_color="#0f766e", logo_url="https://cdn.example.com/logo.png")

    shipment, composed = _email(brand)

    html = composed.html
    assert 'src="https://cdn.example.com/logo.png"' in html
    assert html.count(f'href="{shipment.tracking_url}"') >= 2  # the VML button for Outlook and the link
    assert "Track your parcel" in html and 'bgcolor="#0f766e"' in html
    assert "<v:roundrect" in html and 'role="presentation"' in html


def test_the_button_and_footer_speak_the_shoppers_language():
    brand = BrandFactory()

    _, composed = _email(brand, language="fr")

    assert "Suivre mon colis" in composed.html and "Se désinscrire" in composed.html


def test_the_email_declares_light_and_dark_and_has_a_dark_palette():
    _, composed = _email(BrandFactory())

    assert '<meta name="color-scheme" content="light dark">' in composed.html
    assert "@media (prefers-color-scheme: dark)" in composed.html


@pytest.mark.parametrize("colour", ["#0f766e", "#4f46e5", "#facc15", "#ffffff", "#000000", "#b91c1c", "#7dd3fc"])
def test_the_text_on_the_brand_colour_is_always_readable(colour):
    assert contrast(text_on(colour), colour) >= 4.5


def test_a_light_brand_colour_gets_dark_button_text():
    brand = BrandFactory(primary_color="#facc15")

    _, composed = _email(brand)

    assert "color:#111827;text-decoration:none" in composed.html
