"""Deleting a brand in the panel: an owner's danger zone, a dialog that names the consequences in
numbers, the brand's name typed to confirm (checked on the server too)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brands.models import AuditEvent, Brand, Role
from messaging.models import MessageState
from tests.factories import BrandFactory, ChargeFactory, MembershipFactory, MessageFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def busy_brand(account, brand):
    now = timezone.now()
    moving = ShipmentFactory.create_batch(2, brand=brand, status="in_transit")
    ShipmentFactory(brand=brand, status="delivered")
    MessageFactory(shipment=moving[0], state=MessageState.QUEUED)
    MessageFactory(shipment=moving[0], channel="email", state=MessageState.SCHEDULED, not_before=now + timedelta(hours=3))
    MessageFactory(shipment=moving[1], state=MessageState.SCHEDULED, not_before=now + timedelta(hours=3))
    ChargeFactory(account=account, brand=brand, unit_price=Decimal("0.1400"), created_at=now)
    ChargeFactory(account=account, brand=brand, unit_price=Decimal("0.1400"), created_at=now)
    return brand


def test_the_dialog_names_the_consequences_in_numbers(panel, busy_brand):
    html = panel.get(reverse("panel:brand-edit", args=[busy_brand.pk])).content.decode()

    dialog = text(html[html.index('<dialog id="delete-brand-dialog"'):html.index("</dialog>", html.index("delete-brand-dialog"))])
    assert "Delete Acme?" in dialog
    assert "2 shipments in transit will stop receiving updates." in dialog
    assert "3 scheduled messages will not be sent." in dialog
    assert "Its tracking pages will stop working" in dialog and "/track/b/acme/" in dialog
    assert "Charges already made (EUR 0.28 this month) stay on your invoice." in dialog
    assert 'data-confirm-name="Acme"' in html and "data-confirm-submit" in html


def test_the_typed_name_deletes_the_brand_and_the_list_announces_it(panel, account, busy_brand):
    response = panel.post(reverse("panel:brand-delete", args=[busy_brand.pk]), {"confirm_name": "Acme"}, follow=True)

    assert response.redirect_chain == [(reverse("panel:brand-list"), 302)]
    html = response.content.decode()
    assert 'role="status"' in html and "Brand “Acme” deleted. Its charges stay on your invoice." in html
    assert f'href="{reverse("panel:brand-edit", args=[busy_brand.pk])}"' not in html
    assert Brand.objects.get(pk=busy_brand.pk).deleted_at is not None
    event = AuditEvent.objects.for_account(account).get(action="brand.delete")
    assert event.user is not None and event.details["messages_suppressed"] == 3


@pytest.mark.parametrize("typed", ["", "acme", "Acm", "Acme Outdoor"])
def test_a_wrong_name_is_refused_with_the_dialog_open_and_the_field_named(panel, brand, typed):
    response = panel.post(reverse("panel:brand-delete", args=[brand.pk]), {"confirm_name": typed})

    assert response.status_code == 400
    assert "confirm_name" in response.context["delete_form"].errors
    html = response.content.decode()
    assert re.search(r'<dialog id="delete-brand-dialog"[^>]*data-autoshow open', html)
    assert 'id="id_confirm_name_error"' in html
    brand.refresh_from_db()
    assert brand.deleted_at is None


def test_a_member_who_is_not_an_owner_sees_no_danger_zone_and_cannot_delete(client, account, brand):
    client.force_login(MembershipFactory(account=account, role=Role.MEMBER).user)

    assert "delete-brand-dialog" not in client.get(reverse("panel:brand-edit", args=[brand.pk])).content.decode()
    assert client.post(reverse("panel:brand-delete", args=[brand.pk]), {"confirm_name": "Acme"}).status_code == 403
    brand.refresh_from_db()
    assert brand.deleted_at is None


def test_another_accounts_brand_is_a_404(panel, outsider):
    foreign = BrandFactory(account=outsider, name="Theirs")

    assert panel.post(reverse("panel:brand-delete", args=[foreign.pk]), {"confirm_name": "Theirs"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.deleted_at is None


def test_a_deleted_brands_pages_are_404(panel, brand):
    panel.post(reverse("panel:brand-delete", args=[brand.pk]), {"confirm_name": "Acme"})

    assert panel.get(reverse("panel:brand-edit", args=[brand.pk])).status_code == 404
    assert panel.get(reverse("panel:notifications", args=[brand.pk, "email"])).status_code == 404
    assert panel.post(reverse("panel:brand-delete", args=[brand.pk]), {"confirm_name": "Acme"}).status_code == 404


def test_the_delete_address_takes_no_get(panel, brand):
    assert panel.get(reverse("panel:brand-delete", args=[brand.pk])).status_code == 405
