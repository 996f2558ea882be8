"""Tracking messages: the channel switch, countries, the status grid (htmx), WhatsApp consent and
the plan limit, all through messaging.services."""

from html import unescape

import pytest
from django.urls import reverse

from messaging.models import WhatsAppConsent
from messaging.selectors import channel_document
from messaging.services.notifications import channel_document_replace
from tests.factories import BrandFactory, WhatsAppConsentFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, brand, channel, *args):
    return reverse(f"panel:{name}", args=[brand.pk, channel, *args])


def test_a_toggle_saves_at_once_and_answers_only_the_changed_cell(panel, brand):
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {}, "BE": {}})

    response = panel.post(url("notifications-toggle", brand, "sms"), {"country": "NL", "status": "delivered"}, **HTMX)

    assert response.status_code == 200
    assert channel_document(brand=brand, channel="sms").countries["NL"]["delivered"] is False
    html = response.content.decode()
    assert '<td id="c-NL-delivered" data-c="NL" hx-swap-oob="true"><input class="switch switch-sm" type="checkbox" ' \
           'role="switch" aria-label="Delivered in Netherlands"></td>' in html
    assert 'id="c-BE-delivered"' not in html and 'id="c-NL-in_transit"' not in html  # only what changed
    assert 'id="r-delivered"' in html and 'id="h-NL"' in html  # its row and column switches
    assert "<html" not in html and "channel-panel" not in html  # a fragment for htmx, not a page
    assert "Delivered in Netherlands off" in response.headers["HX-Trigger"]  # announced

    panel.post(url("notifications-toggle", brand, "sms"), {"country": "NL", "status": "delivered", "enabled": "on"}, **HTMX)
    assert channel_document(brand=brand, channel="sms").countries["NL"]["delivered"] is True


def test_toggles_are_labelled_switches(panel, brand):
    channel_document_replace(brand=brand, channel="email", enabled=True, countries={"BE": {}})
    html = panel.get(url("notifications", brand, "email")).content.decode()
    assert 'role="switch" aria-label="Out for delivery in Belgium" checked' in html


def test_the_switch_and_countries_go_through_the_services(panel, brand):
    panel.post(url("notifications-switch", brand, "email"), {"enabled": "on"}, **HTMX)
    panel.post(url("notifications-country-add", brand, "email"), {"country": "DE"}, **HTMX)
    panel.post(url("notifications-country-add", brand, "email"), {"country": "FR"}, **HTMX)
    document = channel_document(brand=brand, channel="email")
    assert document.enabled and set(document.countries) == {"DE", "FR"}
    assert all(document.countries["DE"].values())  # a new country starts with every status on

    response = panel.post(url("notifications-country-remove", brand, "email", "DE"))  # classic post: redirect
    assert response.status_code == 302 and response.url == url("notifications", brand, "email")
    assert set(channel_document(brand=brand, channel="email").countries) == {"FR"}


def test_configuration_is_per_brand(panel, account, brand):
    other = BrandFactory(account=account)
    panel.post(url("notifications-country-add", brand, "sms"), {"country": "NL"}, **HTMX)
    assert channel_document(brand=other, channel="sms").countries == {}


def test_a_bad_country_is_refused_inline(panel, brand):
    response = panel.post(url("notifications-country-add", brand, "sms"), {"country": "XX"}, **HTMX)
    assert response.status_code == 422
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in unescape(response.content.decode())
    assert 'id="add-country-error" role="alert"' in response.content.decode()


def test_first_whatsapp_activation_asks_for_consent_with_the_plan_price(panel, account, brand):
    account.plan = "lite"
    account.save()
    html = panel.get(url("notifications", brand, "whatsapp")).content.decode()
    assert '<dialog id="consent-dialog"' in html
    assert "EUR 0.16" in html
    assert 'name="accept_pricing"' in html and 'name="accept_phone_data_use"' in html


def test_consent_needs_both_boxes_then_switches_whatsapp_on(panel, account, brand, member):
    only_price = panel.post(url("notifications-consent", brand, "whatsapp"), {"accept_pricing": "on"}, **HTMX)
    assert "shoppers' phone numbers" in unescape(only_price.content.decode())
    assert 'data-autoshow' in only_price.content.decode()  # the dialog stays open, with the error
    assert not WhatsAppConsent.objects.for_account(account).exists()

    response = panel.post(url("notifications-consent", brand, "whatsapp"),
                          {"accept_pricing": "on", "accept_phone_data_use": "on"}, **HTMX)

    consent = WhatsAppConsent.objects.for_account(account).get()
    assert consent.given_by == member and consent.given_by_label == member.email
    assert channel_document(brand=brand, channel="whatsapp").enabled
    html = response.content.decode()
    assert "consent-dialog" not in html and "WhatsApp is on" in html


def test_without_consent_whatsapp_cannot_be_switched_on(panel, account, brand):
    response = panel.post(url("notifications-switch", brand, "whatsapp"), {"enabled": "on"}, **HTMX)
    assert "needs the account's consent" in unescape(response.content.decode())
    assert not channel_document(brand=brand, channel="whatsapp").enabled


def test_the_lite_limit_is_explained_and_the_third_country_refused(panel, account, brand):
    account.plan = "lite"
    account.save()
    WhatsAppConsentFactory(account=account)
    panel.post(url("notifications-switch", brand, "whatsapp"), {"enabled": "on"}, **HTMX)
    for country in ("NL", "BE"):
        panel.post(url("notifications-country-add", brand, "whatsapp"), {"country": country}, **HTMX)

    page = panel.get(url("notifications", brand, "whatsapp")).content.decode()
    assert "Your Lite plan includes WhatsApp in 2 destination countries" in page
    assert "in use BE, NL (2 of 2)" in page

    response = panel.post(url("notifications-country-add", brand, "whatsapp"), {"country": "DE"}, **HTMX)

    html = response.content.decode()
    assert "The Lite plan allows WhatsApp in 2 destination countries" in html
    assert "upgrade to Growth" in html and reverse("panel:billing") in html
    assert set(channel_document(brand=brand, channel="whatsapp").countries) == {"NL", "BE"}


def test_the_free_plan_offers_an_upgrade_instead_of_a_switch(panel, account, brand):
    account.plan = "free"
    account.save()
    html = panel.get(url("notifications", brand, "whatsapp")).content.decode()
    assert "WhatsApp is not included in the Free plan" in html
    assert "switch-whatsapp" not in html and reverse("panel:billing") in html


def test_a_classic_post_with_an_error_renders_the_page_with_it(panel, account, brand):
    response = panel.post(url("notifications-switch", brand, "whatsapp"), {"enabled": "on"})
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert "needs the account's consent" in unescape(response.content.decode())
