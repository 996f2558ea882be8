"""Every panel page renders for a member; every page about another account's object is a 404."""

import pytest
from django.urls import reverse

from tests.factories import BrandFactory, MessageFactory, ShipmentFactory
from tests.panel.pages import every_page_url

pytestmark = pytest.mark.django_db


def page_urls(brand, shipment):
    # and a template in another status and language than the editor opens with
    return [*every_page_url(brand, shipment),
            reverse("panel:template-editor", args=[brand.pk, "sms"]) + "?status=delivered&language=fr"]


def test_every_page_renders_for_a_member(panel, brand, shipment):
    MessageFactory(shipment=shipment, provider="sandbox")
    for url in page_urls(brand, shipment):
        response = panel.get(url)
        assert response.status_code == 200, url


def test_the_home_pages_redirect_to_the_first_brand(panel, brand):
    assert panel.get(reverse("panel:notifications-home")).url == reverse("panel:notifications", args=[brand.pk, "email"])
    assert panel.get(reverse("panel:templates-home")).url == reverse("panel:template-editor", args=[brand.pk, "email"])


def test_pages_without_brands_say_what_to_do(panel, account):
    for name in ("panel:dashboard", "panel:brand-list", "panel:notifications-home", "panel:templates-home",
                 "panel:shipment-list", "panel:shipment-create", "panel:message-list", "panel:outbox"):
        response = panel.get(reverse(name))
        assert response.status_code == 200, name
        assert "Create" in response.content.decode(), name


def test_anonymous_visitors_are_sent_to_log_in(client, brand):
    response = client.get(reverse("panel:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_every_page_of_another_accounts_object_is_a_404(panel, outsider):
    foreign_brand = BrandFactory(account=outsider)
    foreign_shipment = ShipmentFactory(brand=foreign_brand)
    gets = [
        reverse("panel:brand-edit", args=[foreign_brand.pk]),
        reverse("panel:notifications", args=[foreign_brand.pk, "email"]),
        reverse("panel:template-editor", args=[foreign_brand.pk, "sms"]),
        reverse("panel:shipment-detail", args=[foreign_shipment.pk]),
        reverse("panel:shipment-messages", args=[foreign_shipment.pk]),
    ]
    for url in gets:
        assert panel.get(url).status_code == 404, url
    posts = [
        (reverse("panel:brand-edit", args=[foreign_brand.pk]), {"name": "Mine now"}),
        (reverse("panel:notifications-switch", args=[foreign_brand.pk, "email"]), {"enabled": "on"}),
        (reverse("panel:notifications-country-add", args=[foreign_brand.pk, "email"]), {"country": "NL"}),
        (reverse("panel:notifications-country-remove", args=[foreign_brand.pk, "email", "NL"]), {}),
        (reverse("panel:notifications-toggle", args=[foreign_brand.pk, "email"]),
         {"country": "NL", "status": "delivered", "enabled": "on"}),
        (reverse("panel:notifications-consent", args=[foreign_brand.pk, "whatsapp"]),
         {"accept_pricing": "on", "accept_phone_data_use": "on"}),
        (reverse("panel:template-editor", args=[foreign_brand.pk, "sms"]), {"status": "delivered", "body": "x"}),
        (reverse("panel:template-reset", args=[foreign_brand.pk, "sms"]), {"status": "delivered"}),
        (reverse("panel:template-preview", args=[foreign_brand.pk, "sms"]), {"status": "delivered", "body": "x"}),
        (reverse("panel:shipment-event", args=[foreign_shipment.pk]), {"status": "delivered"}),
    ]
    for url, data in posts:
        assert panel.post(url, data).status_code == 404, url
    foreign_brand.refresh_from_db()
    assert foreign_brand.name != "Mine now"
    assert not foreign_shipment.events.exists()


def test_an_unknown_channel_is_a_404(panel, brand):
    assert panel.get(reverse("panel:notifications", args=[brand.pk, "pigeon"])).status_code == 404
    assert panel.get(reverse("panel:template-editor", args=[brand.pk, "fax"])).status_code == 404
