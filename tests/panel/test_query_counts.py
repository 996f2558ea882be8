"""Every page renders in under 20 queries however many rows it lists (aggregates and joins, never
one query per row)."""

import pytest
from django.urls import reverse

from messaging.models import Message
from tests.panel.pages import every_page_url
from tracking.models import Shipment

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def test_every_page_stays_under_the_query_budget(panel, busy_account, brand, django_assert_max_num_queries):
    shipment = Shipment.objects.for_account(busy_account).first()
    assert Message.objects.for_account(busy_account).count() >= 90
    urls = [
        *every_page_url(brand, shipment),
        reverse("panel:shipment-list") + "?q=PC&status=in_transit&carrier=sandbox",
        reverse("panel:message-list") + "?channel=sms&state=delivered",
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = panel.get(url)
        assert response.status_code == 200, url


# A toggle's save is mostly the service's own work (lock, read, check, write, read back, audit);
# the panel adds the session, the brand and one query for the tab states.
SAVE_QUERIES = 30


def test_the_instant_saves_stay_bounded(panel, busy_account, brand, django_assert_max_num_queries):
    htmx = {"HTTP_HX_REQUEST": "true"}
    toggle = reverse("panel:notifications-toggle", args=[brand.pk, "sms"])
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = panel.post(toggle, {"country": "NL", "status": "delivered"}, **htmx)
    assert response.status_code == 200
    preview = reverse("panel:template-preview", args=[brand.pk, "sms"])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert panel.post(preview, {"status": "delivered", "body": "<<companyname>>"}, **htmx).status_code == 200
