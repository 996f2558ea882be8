"""The panel's Requests: open shopper requests (kind, shipment, details, when) with a done
button; done ones under their own tab; another account's request is a 404."""

import pytest
from django.urls import reverse

from messaging.models import ShopperRequest, ShopperRequestState
from tests.factories import BrandFactory, ShipmentFactory, ShopperRequestFactory

pytestmark = pytest.mark.django_db


def test_the_requests_page_lists_open_requests_and_marks_one_done(panel, brand, member):
    shipment = ShipmentFactory(brand=brand, tracking_number="PC00000042NL", order_number="A-42")
    cod = ShopperRequestFactory(shipment=shipment, kind="cod_confirmed", details={"amount": "24.95"})
    ShopperRequestFactory(shipment=shipment, kind="reschedule", state=ShopperRequestState.DONE)

    page = panel.get(reverse("panel:requests")).content.decode()
    assert "Cash on delivery confirmed" in page and "PC00000042NL" in page and "amount: 24.95" in page
    assert "Reschedule the delivery" not in page  # done: under the Done tab

    response = panel.post(reverse("panel:request-done", args=[cod.pk]))

    assert response.status_code == 302
    cod.refresh_from_db()
    assert cod.state == ShopperRequestState.DONE and cod.done_by_label == member.email
    assert "Cash on delivery confirmed" not in panel.get(reverse("panel:requests")).content.decode()
    assert "Cash on delivery confirmed" in panel.get(reverse("panel:requests") + "?state=done").content.decode()


def test_the_sidebar_links_the_requests_page(panel):
    assert reverse("panel:requests") in panel.get(reverse("panel:inbox")).content.decode()


def test_another_accounts_request_is_neither_listed_nor_marked_done(panel, outsider):
    foreign = ShopperRequestFactory(shipment__brand=BrandFactory(account=outsider), kind="cod_declined")

    page = panel.get(reverse("panel:requests")).content.decode()
    response = panel.post(reverse("panel:request-done", args=[foreign.pk]))

    assert "Cash on delivery declined" not in page
    assert response.status_code == 404
    assert ShopperRequest.objects.get().state == ShopperRequestState.OPEN
