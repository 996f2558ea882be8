"""The grid's panel routes: one request per change answering only what changed, scoped to the
account (a foreign brand is a 404), bad input a 4xx naming the field, the expired session."""

from html import unescape

import pytest
from django.urls import reverse

from messaging.selectors import channel_document
from messaging.services.notifications import channel_document_replace
from tests.factories import BrandFactory, ShipmentFactory, StatusEntryFactory, WhatsAppConsentFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, brand, channel, *args):
    return reverse(f"panel:{name}", args=[brand.pk, channel, *args])


def test_countries_are_shown_by_name_sorted_by_name(panel, brand):
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"AT": {}, "DE": {}, "CH": {}})
    html = panel.get(url("notifications", brand, "sms")).content.decode()
    assert html.index(">Austria<") < html.index(">Germany<") < html.index(">Switzerland<")  # CH sorts last by name


def test_country_names_follow_the_active_language_and_sort_by_it(account, brand):
    from django.utils import translation

    from messaging.panel.grid import grid_context

    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"DE": {}, "AT": {}, "ES": {}})
    document = channel_document(brand=brand, channel="sms")
    with translation.override("fr"):
        columns = grid_context(brand=brand, channel="sms", document=document, account=account)["countries"]
    assert columns == [("DE", "Allemagne"), ("AT", "Autriche"), ("ES", "Espagne")]


def test_a_region_is_added_in_one_request_answering_the_grid_card(panel, brand):
    response = panel.post(url("notifications-country-add", brand, "email"), {"region": "dach"}, **HTMX)

    assert response.status_code == 200
    assert set(channel_document(brand=brand, channel="email").countries) == {"AT", "CH", "DE"}
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="card grid-card" id="grid-card"')
    assert "Added 3 countries" in response.headers["HX-Trigger"]


def test_the_starting_statuses_are_the_ones_ticked(panel, account, brand):
    account.plan = "growth"
    account.save()
    panel.post(url("notifications-country-add", brand, "whatsapp"),
               {"country": ["NL", "BE"], "start_given": "1", "start": ["delivered", "delivery_failed"]}, **HTMX)
    document = channel_document(brand=brand, channel="whatsapp")
    assert {s for s, on in document.countries["BE"].items() if on} == {"delivered", "delivery_failed"}


def test_the_whatsapp_form_ticks_the_essentials(panel, account, brand):
    account.plan = "growth"
    account.save()
    WhatsAppConsentFactory(account=account)
    html = panel.get(url("notifications", brand, "whatsapp")).content.decode()
    assert 'name="start" value="delivered" checked' in html
    assert 'name="start" value="in_transit">' in html


def test_a_row_switch_answers_the_row_its_heads_and_the_cost(panel, account, brand):
    account.plan = "growth"
    account.save()
    WhatsAppConsentFactory(account=account)
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={"NL": {}, "BE": {}})
    StatusEntryFactory(shipment=ShipmentFactory(brand=brand, to_country="NL"), status="delivered")

    response = panel.post(url("notifications-toggles", brand, "whatsapp"), {"status": "delivered"}, **HTMX)

    html = response.content.decode()
    assert html.count("<td ") == 2 and 'id="c-NL-delivered"' in html and 'id="c-BE-delivered"' in html
    assert 'id="cost-estimate"' in html and "EUR 0.00" in html
    assert len(html) < 8_000  # a few cells, not the 140 KB page
    assert not any(channel_document(brand=brand, channel="whatsapp").countries[c]["delivered"] for c in ("NL", "BE"))


def test_a_column_switch_changes_only_that_country(panel, brand):
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {}, "BE": {}})
    response = panel.post(url("notifications-toggles", brand, "sms"), {"country": "NL"}, **HTMX)
    html = response.content.decode()
    assert html.count("<td ") == 11 and "c-BE-" not in html
    document = channel_document(brand=brand, channel="sms")
    assert not any(document.countries["NL"].values()) and all(document.countries["BE"].values())


def test_copy_from_a_brand_of_another_account_is_a_404(panel, brand, outsider):
    foreign = BrandFactory(account=outsider)
    channel_document_replace(brand=foreign, channel="sms", enabled=True, countries={"FR": {}})
    response = panel.post(url("notifications-copy", brand, "sms"), {"source": foreign.pk}, **HTMX)
    assert response.status_code == 404
    assert channel_document(brand=brand, channel="sms").countries == {}


def test_the_grid_of_another_accounts_brand_is_a_404(panel, outsider):
    foreign = BrandFactory(account=outsider)
    for name, data in (("notifications-toggle", {"country": "NL", "status": "delivered"}),
                       ("notifications-toggles", {}), ("notifications-country-add", {"region": "eu"}),
                       ("notifications-copy", {"source": foreign.pk})):
        assert panel.post(url(name, foreign, "sms"), data, **HTMX).status_code == 404, name


def test_copy_from_a_brand_of_the_account(panel, account, brand):
    source = BrandFactory(account=account, name="Second")
    channel_document_replace(brand=source, channel="sms", enabled=True, countries={"IT": {"delivered": False}})
    response = panel.post(url("notifications-copy", brand, "sms"), {"source": source.pk}, **HTMX)
    assert response.status_code == 200
    assert channel_document(brand=brand, channel="sms").countries == channel_document(brand=source, channel="sms").countries


def test_a_bad_status_is_a_422_naming_the_field(panel, brand):
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {}})
    response = panel.post(url("notifications-toggle", brand, "sms"), {"country": "NL", "status": "lost"}, **HTMX)
    assert response.status_code == 422
    assert response.headers["X-Error-Field"] == "statuses"
    assert "'lost' is not a status" in response.content.decode()


def test_a_toggle_of_a_country_not_added_is_a_422_naming_countries(panel, brand):
    response = panel.post(url("notifications-toggle", brand, "sms"), {"country": "NL", "status": "delivered"}, **HTMX)
    assert response.status_code == 422 and response.headers["X-Error-Field"] == "countries"


def test_a_bad_region_is_refused_in_place_naming_it(panel, brand):
    response = panel.post(url("notifications-country-add", brand, "sms"), {"region": "atlantis"}, **HTMX)
    assert response.status_code == 422
    html = unescape(response.content.decode())
    assert "'atlantis' is not a region" in html and 'role="alert"' in html


def test_without_htmx_a_grid_write_comes_back_to_the_page(panel, brand):
    response = panel.post(url("notifications-country-add", brand, "sms"), {"region": "benelux"})
    assert response.status_code == 302 and response.url == url("notifications", brand, "sms")


def test_an_expired_session_answers_403_with_the_way_back(client, brand):
    page = "http://testserver" + url("notifications", brand, "sms")
    response = client.post(url("notifications-toggle", brand, "sms"), {"country": "NL", "status": "delivered"},
                           HTTP_HX_CURRENT_URL=page, **HTMX)
    assert response.status_code == 403
    assert response.headers["X-Login-Url"] == reverse("login") + "?next=" + url("notifications", brand, "sms").replace("/", "%2F")


def test_plan_change_and_key_revoke_ask_first_naming_the_consequence(panel, account, member):
    from brands.models import Membership, Role
    from tests.factories import ApiKeyFactory

    Membership.objects.filter(user=member).update(role=Role.OWNER)
    ApiKeyFactory(account=account, name="Shopify")
    billing = unescape(panel.get(reverse("panel:billing")).content.decode())
    assert '<dialog id="plan-dialog-' in billing and "Every WhatsApp message from now on costs" in billing
    settings_page = unescape(panel.get(reverse("panel:settings")).content.decode())
    assert "Revoke the key “Shopify”?" in settings_page and "is refused from now on" in settings_page


def test_the_channel_switch_answers_its_card_tabs_and_cost_not_the_grid(panel, brand):
    channel_document_replace(brand=brand, channel="sms", enabled=False, countries={"NL": {}, "BE": {}})
    response = panel.post(url("notifications-switch", brand, "sms"), {"enabled": "on"}, **HTMX)
    html = response.content.decode()
    assert 'id="channel-head" hx-swap-oob="true"' in html and 'id="channel-tabs"' in html
    assert "grid-table" not in html and "<td" not in html
    assert channel_document(brand=brand, channel="sms").enabled


def test_a_refused_channel_switch_is_a_422_naming_the_reason(panel, brand):
    response = panel.post(url("notifications-switch", brand, "whatsapp"), {"enabled": "on"}, **HTMX)
    assert response.status_code == 422 and "consent" in response.content.decode()


def test_all_on_answers_the_table_not_the_card(panel, brand):
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {"delivered": False}})
    response = panel.post(url("notifications-toggles", brand, "sms"), {"enabled": "on"}, **HTMX)
    html = response.content.decode()
    assert '<table class="toggle-grid" id="grid-table" hx-swap-oob="true"' in html
    assert "grid-card" not in html and "add-countries" not in html
    assert all(channel_document(brand=brand, channel="sms").countries["NL"].values())
