"""Deleting a brand in a real browser: the dialog names the consequences, the button waits for
the brand's name, and the brand is gone from the list afterwards."""

import os
from decimal import Decimal

import pytest
from django.utils import timezone

from brands.models import Brand
from messaging.models import MessageState
from tests.browser.conftest import PHONE, log_in
from tests.factories import ChargeFactory, MessageFactory, ShipmentFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what is missing: a skip off CI, a failure under CI=true
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Where a person reviewing the dialog finds screenshots of it (set to save them).
SHOTS = os.environ.get("BRAND_DELETE_SHOTS", "")


def _history(account, brand):
    moving = ShipmentFactory(brand=brand, status="in_transit")
    MessageFactory(shipment=moving, state=MessageState.SCHEDULED, not_before=timezone.now())
    ChargeFactory(account=account, brand=brand, unit_price=Decimal("0.1600"), created_at=timezone.now())


def _delete_brand(page, brand, shot: str = ""):
    page.goto(f"/app/brands/{brand.pk}/")
    page.get_by_role("button", name="Delete brand…").click()
    dialog = page.get_by_role("dialog", name="Delete Petite Boutique?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1 shipment in transit will stop receiving updates.")
    expect(dialog).to_contain_text("1 scheduled message will not be sent.")
    expect(dialog).to_contain_text("Its tracking pages will stop working")
    expect(dialog).to_contain_text("Charges already made (EUR 0.16 this month) stay on your invoice.")
    confirm = dialog.get_by_role("button", name="Delete this brand")
    expect(confirm).to_be_disabled()
    field = dialog.get_by_label("Type “Petite Boutique” to confirm")
    expect(field).to_be_focused()
    field.fill("petite boutique")  # not exactly the name: still refused
    expect(confirm).to_be_disabled()
    if shot:
        page.screenshot(path=os.path.join(SHOTS, f"{shot}-dialog.png"))
    field.fill("Petite Boutique")
    expect(confirm).to_be_enabled()
    if shot:
        page.screenshot(path=os.path.join(SHOTS, f"{shot}-typed.png"))
    confirm.click()
    page.wait_for_url("**/app/brands/")


def test_delete_a_brand_through_its_dialog(page, merchant):
    account, user, brand = merchant
    _history(account, brand)
    if SHOTS:
        page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, user.email)

    _delete_brand(page, brand, shot="desktop" if SHOTS else "")

    expect(page.locator(".flash[role=status]")).to_contain_text("Brand “Petite Boutique” deleted.")
    expect(page.get_by_role("link", name="Petite Boutique")).to_have_count(0)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "desktop-after.png"))
    assert Brand.objects.get(pk=brand.pk).deleted_at is not None


def test_the_dialog_fits_a_phone(phone_page, merchant):
    account, user, brand = merchant
    _history(account, brand)
    log_in(phone_page, user.email)

    _delete_brand(phone_page, brand, shot="phone" if SHOTS else "")

    assert phone_page.viewport_size == PHONE
    expect(phone_page.locator(".flash[role=status]")).to_contain_text("deleted")
