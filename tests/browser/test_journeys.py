"""A merchant's journeys through the panel in a real browser (Chromium, headless)."""

import re

import pytest
from django.utils import timezone

from brands.models import Account, Brand
from messaging.models import Message
from messaging.selectors import channel_document
from messaging.services.notifications import channel_document_replace
from tests.browser.conftest import PASSWORD, log_in
from tracking.models import Shipment
from tracking.services import event_record

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what is missing: a skip off CI, a failure under CI=true
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_then_create_a_brand(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Company name").fill("Nordic Socks AB")
    page.get_by_label("Registered country").select_option("SE")
    page.get_by_label("Growth").check()
    page.get_by_label("Your work e-mail").fill("owner@nordicsocks.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Welcome to Parcelcast, Nordic Socks AB!")).to_be_visible()
    assert Account.objects.get(company_name="Nordic Socks AB").plan == "growth"

    page.get_by_role("link", name="Create a brand").click()
    page.get_by_label("Brand name").fill("Nordic Socks")
    page.get_by_label("Slug").fill("nordic socks")  # a mistake first: shown beside the field
    page.get_by_role("button", name="Create brand").click()
    expect(page.locator("#id_slug_error")).to_contain_text("Enter a valid")
    page.get_by_label("Slug").fill("nordic-socks")
    page.get_by_role("button", name="Create brand").click()

    expect(page.get_by_role("heading", name="E-mail for Nordic Socks")).to_be_visible()
    assert Brand.objects.filter(slug="nordic-socks", account__company_name="Nordic Socks AB").exists()


def test_switch_whatsapp_on_through_the_consent_dialog_and_meet_the_lite_limit(page, merchant):
    _, user, brand = merchant
    log_in(page, user.email)
    page.goto(f"/app/brands/{brand.pk}/notifications/whatsapp/")

    page.get_by_role("switch", name="WhatsApp is off").click()
    dialog = page.get_by_role("dialog", name="Switch on WhatsApp")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("EUR 0.16")
    dialog.get_by_label("I accept the price").check()
    dialog.get_by_label("Parcelcast may use my shoppers' phone numbers").check()
    dialog.get_by_role("button", name="Accept and switch on").click()

    expect(page.get_by_role("switch", name="WhatsApp is on")).to_be_checked()
    assert channel_document(brand=brand, channel="whatsapp").enabled

    for name in ("Netherlands", "Belgium"):  # two countries, one request
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_role("button", name="Add countries").click()
    for name in ("Netherlands", "Belgium"):
        expect(page.get_by_role("columnheader", name=re.compile(name))).to_be_visible()
    expect(page.locator("#plan-limit")).to_contain_text("in use BE, NL (2 of 2)")

    page.locator("summary", has_text="Add countries").click()
    page.get_by_role("checkbox", name="Germany", exact=True).check()
    page.get_by_role("button", name="Add countries").click()

    expect(page.get_by_role("alert")).to_contain_text("The Lite plan allows WhatsApp in 2 destination countries")
    expect(page.get_by_role("link", name="upgrade to Growth")).to_be_visible()
    assert set(channel_document(brand=brand, channel="whatsapp").countries) == {"BE", "NL"}


def test_a_status_toggle_saves_at_once_and_is_still_off_after_a_reload(page, merchant):
    _, user, brand = merchant
    channel_document_replace(brand=brand, channel="email", enabled=True, countries={"NL": {}})
    log_in(page, user.email)
    page.goto(f"/app/brands/{brand.pk}/notifications/email/")

    toggle = page.get_by_role("switch", name="Delivered in Netherlands")
    expect(toggle).to_be_checked()
    with page.expect_response(re.compile(r"/toggle/$")):
        toggle.focus()
        page.keyboard.press("Space")  # keyboard: a real checkbox
    expect(page.get_by_role("switch", name="Delivered in Netherlands")).not_to_be_checked()
    expect(page.get_by_role("switch", name="Delivered in Netherlands")).to_be_focused()  # focus survives the swap

    page.reload()
    expect(page.get_by_role("switch", name="Delivered in Netherlands")).not_to_be_checked()
    expect(page.get_by_role("switch", name="In transit in Netherlands")).to_be_checked()
    assert channel_document(brand=brand, channel="email").countries["NL"]["delivered"] is False


def test_an_sms_template_with_a_bad_tag_is_refused_with_the_tag_named(page, merchant):
    _, user, brand = merchant
    log_in(page, user.email)
    page.goto(f"/app/brands/{brand.pk}/templates/sms/?status=delivered&language=en")

    body = page.get_by_label("Message")
    body.fill("")
    body.press_sequentially("Hi <<customer_nmae>>, ")
    expect(page.locator("#preview")).to_contain_text("<<customer_nmae>>")  # live, before saving
    page.get_by_role("button", name="Insert unsubscribe link (required) tag").click()
    expect(body).to_have_value("Hi <<customer_nmae>>, <<unsubscribe_url>>")
    page.get_by_role("button", name="Save template").click()

    expect(page.locator("#id_body_error")).to_contain_text("<<customer_nmae>>")
    assert not brand.template_overrides.exists()

    body = page.get_by_label("Message")
    body.fill("")
    body.press_sequentially("<<companyname>>: delivered! Stop: <<unsubscribe_url>>")
    expect(page.locator("#preview")).to_contain_text("Petite Boutique: delivered!")
    expect(page.locator("#preview")).to_contain_text("1 SMS segment")
    page.get_by_role("button", name="Save template").click()
    expect(page.get_by_text("Template saved.")).to_be_visible()


def test_a_sandbox_shipment_shows_its_messages_as_they_are_sent(page, merchant):
    _, user, brand = merchant
    for channel in ("sms", "email"):
        channel_document_replace(brand=brand, channel=channel, enabled=True, countries={"NL": {}})
    log_in(page, user.email)
    page.goto("/app/shipments/new/")
    expect(page.get_by_label("Carrier", exact=True)).to_have_value("sandbox")
    page.get_by_label("Tracking number").fill("SBXBROWSER1")
    page.get_by_label("Recipient name").fill("Sanne de Vries")
    page.get_by_label("Recipient e-mail").fill("sanne@example.com")
    page.get_by_label("Recipient mobile").fill("+31612345678")
    page.get_by_label("Destination country").select_option("NL")
    page.get_by_role("button", name="Create shipment").click()

    expect(page.get_by_role("heading", name=re.compile("SBXBROWSER1"))).to_be_visible()
    messages = page.locator("#shipment-messages")
    expect(messages).to_contain_text("No messages yet")

    # The carrier reports a scan while the merchant watches: the messages appear by themselves.
    shipment = Shipment.objects.get(tracking_number="SBXBROWSER1")
    event_record(shipment=shipment, status="out_for_delivery", occurred_at=timezone.now(), location="Amsterdam")
    expect(messages).to_contain_text("SMS", timeout=15_000)
    expect(messages).to_contain_text("E-mail")
    assert Message.objects.filter(shipment=shipment).count() == 2

    page.get_by_role("link", name="Sandbox outbox").click()
    expect(page.get_by_role("article", name="SMS to +31612345678")).to_contain_text("Petite Boutique")
    expect(page.frame_locator("iframe").first.get_by_text("Sanne de Vries", exact=False)).to_be_visible()


def test_download_an_invoice_pdf(page, merchant, vat_rates):
    from tests.factories import InvoiceFactory, InvoiceLineFactory

    account, user, brand = merchant
    invoice = InvoiceLineFactory(invoice=InvoiceFactory(account=account, issued=True), brand=brand).invoice
    log_in(page, user.email)
    page.goto("/app/billing/")

    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF of invoice {invoice.number}").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"{invoice.number}.pdf"
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_the_menu_works_at_phone_width(phone_page, merchant):
    _, user, _ = merchant
    log_in(phone_page, user.email)
    menu = phone_page.get_by_role("button", name="Menu")
    expect(phone_page.get_by_role("link", name="Shipments")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    phone_page.get_by_role("link", name="Shipments").click()
    expect(phone_page.get_by_role("heading", name="Shipments")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
