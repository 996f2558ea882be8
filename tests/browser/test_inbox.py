"""The Inbox in a real browser: a shopper's reply shows in its thread, the merchant answers, and
the answer lands in the sandbox outbox (sent through the same outbox as every message)."""

from datetime import UTC, datetime

import pytest

from messaging.dispatch.inbound import handle_inbound
from messaging.models import MessageState
from messaging.webhooks import InboundText
from tests.browser.conftest import log_in
from tests.factories import MessageFactory, ShipmentFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what is missing: a skip off CI, a failure under CI=true
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOPPER = "+31612345678"


def test_the_merchant_reads_a_reply_in_the_inbox_and_answers_it(page, merchant):
    _, user, brand = merchant
    parcel = ShipmentFactory(brand=brand, recipient_phone=SHOPPER, tracking_number="INBOX0001NL",
                             order_number="PB-1042", status="delivery_failed")
    MessageFactory(shipment=parcel, recipient=SHOPPER, channel="whatsapp", state=MessageState.DELIVERED,
                   trigger_status="delivery_failed", body="Petite Boutique: we missed you today.")
    handle_inbound(InboundText(sender=SHOPPER, text="Can you deliver on Saturday?", provider_message_id="wamid.B1",
                               at=datetime.now(UTC), phone_number_id="1234567890"),
                   channel="whatsapp", provider="whatsapp_cloud")
    log_in(page, user.email)

    page.get_by_role("link", name="Inbox").click()
    row = page.get_by_role("row", name="+31612345678")
    expect(row).to_contain_text("Unread")
    expect(row).to_contain_text("Can you deliver on Saturday?")
    row.get_by_role("link", name=SHOPPER).click()

    thread = page.get_by_role("list", name="Messages, oldest first")
    expect(thread).to_contain_text("Can you deliver on Saturday?")
    expect(page.get_by_role("region", name="Shipment")).to_contain_text("INBOX0001NL")
    page.get_by_label("Your answer").fill("Yes: we asked the carrier for Saturday.")
    page.get_by_role("button", name="Send answer").click()
    # The page has more than one status region (the panel announces saves in one of its own).
    expect(page.get_by_role("status").filter(has_text="Answer sent")).to_be_visible()
    expect(thread).to_contain_text("Yes: we asked the carrier for Saturday.")

    page.get_by_role("link", name="Sandbox outbox").click()
    expect(page.get_by_role("article", name=f"WhatsApp to {SHOPPER}")).to_contain_text(
        "Yes: we asked the carrier for Saturday.")
