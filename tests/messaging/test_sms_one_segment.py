"""Every default SMS fits one segment (160 GSM-7 characters) in every language, filled with a
realistic shipment: a real brand name, order number, carrier and date, and the short links."""

import datetime as dt

import pytest

from messaging.dispatch.composing import compose
from messaging.segments import sms_segments
from tests.factories import BrandFactory, ShipmentFactory
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "de", "nl", "es", "it")
# (brand, carrier, customer) as a shop of that country would have them; long-ish on purpose.
REALISTIC = {
    "en": ("Harper & Finch", "Royal Mail", "Olivia Bennett"),
    "fr": ("Maison Lumière", "Colissimo", "Amélie Rousseau"),
    "de": ("Gartenglück", "DHL Paket", "Jürgen Hoffmann"),
    "nl": ("Fietsen Jansen", "PostNL", "Sanne van den Berg"),
    "es": ("Zapatos Lucía", "Correos Express", "José Martínez"),
    "it": ("Bottega Fiore", "Poste Italiane", "Giulia Bianchi"),
}
SMS_STATUSES = list(Status.values)


@pytest.fixture
def production_urls(settings):
    settings.PUBLIC_BASE_URL = "https://parcelcast.example.com"
    settings.SHORT_LINK_BASE_URL = "https://pcst.eu"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", SMS_STATUSES)
def test_every_default_sms_fits_one_gsm7_segment_with_a_realistic_shipment(production_urls, status, language):
    # given a shop of the language's country and one of its parcels, the 2,400,000th shipment
    brand_name, carrier, customer = REALISTIC[language]
    brand = BrandFactory(name=brand_name)
    shipment = ShipmentFactory(
        id=2_400_000, brand=brand, language=language, carrier_name=carrier, recipient_name=customer,
        order_number="#1048213", expected_delivery=dt.date(2099, 12, 24),
        pickup_point="PostNL Punt Primera, Kalverstraat 12, 1012 NX Amsterdam",
    )
    # when the SMS is composed as planning does
    body = compose(brand=brand, shipment=shipment, channel="sms", status=status).body
    # then it costs one GSM-7 segment, and it carries both short links
    info = sms_segments(body)
    assert (info.encoding, info.segments) == ("GSM-7", 1), f"{info.characters} characters: {body}"
    assert body.count("https://pcst.eu/s/") == 2
