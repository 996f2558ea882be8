"""The shopper's pages in a real browser (Chromium, headless): the French unsubscribe page, the
tracking page's buttons at phone width. With SHOPPER_SCREENSHOTS=<dir> the tests also save what
they saw at 1440x900 and 390x844 (docs/screenshots/ holds the tracking page's)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from messaging.models import OptOut
from messaging.optout_tokens import make_optout_token
from tests.factories import AccountFactory, BrandFactory, ShipmentFactory
from tracking.services import event_record
from tracking.statuses import Status

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what is missing: a skip off CI, a failure under CI=true
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = os.environ.get("SHOPPER_SCREENSHOTS")


def shoot(tab, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def tabs(browser, live_server, browser_settings):
    """One tab per screen size, French-speaking browsers."""
    contexts = {size: browser.new_context(viewport=viewport, base_url=live_server.url, locale="fr-FR")
                for size, viewport in SCREENS.items()}
    yield {size: context.new_page() for size, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.fixture
def brand():
    return BrandFactory(account=AccountFactory(), name="Maison Lune", slug="maison-lune", primary_color="#7c2d12",
                        whatsapp_number="+33612345678", support_email="bonjour@maison-lune.example", default_language="fr")


def shipment_at(brand, status, **fields):
    shipment = ShipmentFactory(brand=brand, carrier="dhl", tracking_number="00340434161094015902", language="fr",
                               to_country="FR", to_postal_code="75002", order_number="ML-20417", **fields)
    base = shipment.created_at
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=base - timedelta(days=2), external_id="a",
                 description="Colis pris en charge", location="Lyon, FR")
    event_record(shipment=shipment, status=Status.OUT_FOR_DELIVERY, occurred_at=base - timedelta(days=1),
                 external_id="b", description="En cours de livraison", location="Paris, FR")
    event_record(shipment=shipment, status=status, occurred_at=base - timedelta(hours=2), external_id="c",
                 location=fields.get("pickup_point", "Paris, FR"))
    return shipment


def test_the_french_unsubscribe_page_is_french_and_all_channels_stops_everything(tabs, brand):
    ShipmentFactory(brand=brand, language="fr", recipient_email="camille@example.fr", recipient_phone="+33612340000")
    url = f"/unsubscribe/{make_optout_token(brand.pk, 'camille@example.fr')}/"

    for size, tab in tabs.items():
        tab.goto(url)
        expect(tab.locator("html")).to_have_attribute("lang", "fr")
        expect(tab).to_have_title("Désinscription · Maison Lune")
        expect(tab.get_by_role("heading", name="Ne plus recevoir le suivi de vos colis ?")).to_be_visible()
        expect(tab.get_by_text("SMS et WhatsApp")).to_be_visible()
        no_cut_off = tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert no_cut_off, size
        shoot(tab, f"unsubscribe-{size}")

    tab = tabs["phone"]
    tab.get_by_role("button", name="Me désinscrire de tous les canaux").click()

    expect(tab.get_by_role("heading", name="Vous êtes désinscrit")).to_be_visible()
    expect(tab.get_by_role("button")).to_have_count(0)
    shoot(tab, "unsubscribe-done-phone")
    assert set(OptOut.objects.values_list("recipient", flat=True)) == {"camille@example.fr", "+33612340000"}


def test_the_tracking_page_buttons_keep_their_words_whole_at_phone_width(tabs, brand):
    shipment = shipment_at(brand, Status.READY_FOR_PICKUP,
                           pickup_point="Relais Tabac Presse, 12 rue de la Paix, 75002 Paris")

    for size, tab in tabs.items():
        tab.goto(f"/track/{shipment.tracking_token}/")
        expect(tab.get_by_role("heading", name="Où retirer votre colis")).to_be_visible()
        label = tab.locator(".tk-button-label", has_text="WhatsApp")
        box, line = label.bounding_box(), label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert box["height"] < 1.5 * line, f"{size}: the WhatsApp label wraps ({box})"
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), size
        shoot(tab, f"tracking-{size}")


def test_screenshots_of_the_other_shopper_pages(tabs, brand):
    if not SHOTS:
        pytest.skip("SHOPPER_SCREENSHOTS=<dir> saves the shopper pages' screenshots")
    failed = shipment_at(brand, Status.DELIVERY_FAILED)
    returned = ShipmentFactory(brand=brand, carrier="dhl", language="fr", to_country="FR")
    event_record(shipment=returned, status=Status.RETURN_DROPPED_OFF, occurred_at=returned.created_at, external_id="r")
    for size, tab in tabs.items():
        for name, path in (("failed", f"/track/{failed.tracking_token}/"),
                           ("return", f"/track/{returned.tracking_token}/"),
                           ("lookup", "/track/b/maison-lune/"), ("not-found", "/track/plus-valable/")):
            tab.goto(path)
            shoot(tab, f"{name}-{size}")
