"""/unsubscribe/<token>/ as the shopper reads it: in their language, saying exactly what stops."""

import re
from html import unescape

import pytest

from core.languages import LANGUAGES
from messaging.models import OptOut
from messaging.optout_tokens import make_optout_token
from messaging.unsubscribe_copy import COPY
from tests.factories import BrandFactory
from tests.factories.messaging import OptOutFactory
from tests.factories.tracking import ShipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(account):
    return BrandFactory(account=account, name="Trailhead", default_language="en")


def url(brand, recipient):
    return f"/unsubscribe/{make_optout_token(brand.pk, recipient)}/"


def visible_text(html: str) -> str:
    body = unescape(html.split("<body", 1)[1])
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_is_in_the_language_of_the_shoppers_shipment(client, brand, language):
    ShipmentFactory(brand=brand, language=language, recipient_email="sanne@example.com", recipient_phone="+31612345678")

    html = unescape(client.get(url(brand, "sanne@example.com")).content.decode())

    copy = COPY[language]
    assert f'<html lang="{language}">' in html
    assert copy["confirm_heading"] in html and copy["button_this"] in html
    assert copy["all_heading"].replace("{brand}", "Trailhead") in html and copy["phone"] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_done_page_is_in_the_shoppers_language_too(client, brand, language):
    ShipmentFactory(brand=brand, language=language, recipient_email="sanne@example.com", recipient_phone="")

    html = unescape(client.post(url(brand, "sanne@example.com"), {"scope": "this"}).content.decode())

    assert COPY[language]["done_heading"] in html and COPY[language]["undo_email"].replace("{brand}", "Trailhead") in html
    assert COPY[language]["undo_phone"].replace("{brand}", "Trailhead") not in html


def test_the_french_page_has_no_english_left(client, brand):
    ShipmentFactory(brand=brand, language="fr", recipient_email="sanne@example.com", recipient_phone="+31612345678")

    for response in (client.get(url(brand, "sanne@example.com")), client.post(url(brand, "sanne@example.com"))):
        assert "<title>Désinscription · Trailhead</title>" in response.content.decode()
        text = visible_text(response.content.decode())
        english = {word for word in COPY["en"].values() for word in re.findall(r"[A-Za-z]{5,}", word)}
        english -= {"WhatsApp", "START", "Trailhead", "Parcelcast"}
        french = set(re.findall(r"[A-Za-z]{5,}", text))
        assert english & french <= {"example"}, english & french


def test_without_a_shipment_the_browsers_language_is_used(client, brand):
    html = client.get(url(brand, "nobody@example.com"), HTTP_ACCEPT_LANGUAGE="de-CH,de;q=0.9,en;q=0.5").content.decode()

    assert COPY["de"]["confirm_heading"] in html


def test_without_a_shipment_or_a_browser_language_the_brands_language_is_used(client, account):
    brand = BrandFactory(account=account, name="Trailhead", default_language="it")

    html = unescape(client.get(url(brand, "nobody@example.com"), HTTP_ACCEPT_LANGUAGE="ja").content.decode())

    assert COPY["it"]["confirm_heading"] in html


def test_an_email_link_says_only_emails_stop_and_names_the_phone_that_continues(client, brand):
    ShipmentFactory(brand=brand, recipient_email="sanne@example.com", recipient_phone="+31612345678")

    html = client.get(url(brand, "sanne@example.com")).content.decode()

    this, others = html.split('data-scope="all"')
    assert "E-mail" in this and "s•••@example.com" in this and "SMS and WhatsApp" not in this
    assert "SMS and WhatsApp" in others and "+31•••••5678" in others
    assert "still receive parcel updates" in others
    assert "by e-mail, SMS or WhatsApp" not in html  # the old, untrue promise


def test_a_shopper_with_only_one_address_is_not_offered_all_channels(client, brand):
    ShipmentFactory(brand=brand, recipient_email="sanne@example.com", recipient_phone="")

    html = client.get(url(brand, "sanne@example.com")).content.decode()

    assert 'data-scope="all"' not in html


def test_after_all_channels_nothing_is_left_to_offer(client, brand):
    ShipmentFactory(brand=brand, recipient_email="sanne@example.com", recipient_phone="+31612345678")

    html = client.post(url(brand, "sanne@example.com"), {"scope": "all"}).content.decode()

    assert "s•••@example.com" in html and "+31•••••5678" in html
    assert "Reply START" in html and "Ask Trailhead" in html  # how to undo, for the phone and the e-mail
    assert 'data-scope="all"' not in html
    assert OptOut.objects.count() == 2


def test_an_address_already_opted_out_says_so_and_still_offers_the_others(client, brand):
    ShipmentFactory(brand=brand, recipient_email="sanne@example.com", recipient_phone="+31612345678")
    OptOutFactory(brand=brand, recipient="sanne@example.com")

    html = client.get(url(brand, "sanne@example.com")).content.decode()

    assert "You are already unsubscribed" in html and 'data-scope="all"' in html


def test_a_bad_token_gets_the_branded_not_found_page_in_the_browsers_language(client, brand):
    response = client.get("/unsubscribe/not-a-token/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr">' in html and "Ce lien ne fonctionne pas" in html and "désinscription" in html
