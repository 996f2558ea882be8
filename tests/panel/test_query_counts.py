"""Every page renders in under 20 queries however many rows it lists (aggregates and joins, never
one query per row)."""

import pytest
from django.urls import reverse

from messaging.models import Message
from tracking.models import Shipment

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def test_every_page_stays_under_the_query_budget(panel, busy_account, brand, django_assert_max_num_queries):
    shipment = Shipment.objects.for_account(busy_account).first()
    assert Message.objects.for_account(busy_account).count() >= 90
    urls = [
        reverse("panel:dashboard"),
        reverse("panel:brand-list"),
        reverse("panel:brand-create"),
        reverse("panel:brand-edit", args=[brand.pk]),
        reverse("panel:notifications", args=[brand.pk, "email"]),
        reverse("panel:notifications", args=[brand.pk, "whatsapp"]),
        reverse("panel:template-editor", args=[brand.pk, "email"]),
        reverse("panel:template-editor", args=[brand.pk, "sms"]),
        reverse("panel:template-editor", args=[brand.pk, "whatsapp"]),
        reverse("panel:shipment-list"),
        reverse("panel:shipment-list") + "?q=PC&status=in_transit&carrier=sandbox",
        reverse("panel:shipment-create"),
        reverse("panel:shipment-detail", args=[shipment.pk]),
        reverse("panel:shipment-messages", args=[shipment.pk]),
        reverse("panel:message-list"),
        reverse("panel:message-list") + "?channel=sms&state=delivered",
        reverse("panel:outbox"),
        reverse("panel:billing"),
        reverse("panel:settings"),
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
