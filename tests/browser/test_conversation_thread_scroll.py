"""In a real browser: a long conversation opens at its newest message, and after "Answer sent" the
merchant's own answer is in view; on a phone the sending policy's tab strip shows its current tab."""

from datetime import UTC, datetime, timedelta

import pytest

from messaging.models import MessageState
from tests.browser.conftest import log_in
from tests.factories import ConversationFactory, InboundMessageFactory, MessageFactory, ShipmentFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what is missing
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOPPER = "+31612345678"

IN_VIEW = """(selector) => {
  const box = document.querySelector(".thread"), item = document.querySelector(selector);
  const a = box.getBoundingClientRect(), b = item.getBoundingClientRect();
  return b.top >= a.top - 1 && b.bottom <= a.bottom + 1;
}"""


def _long_thread(brand):
    parcel = ShipmentFactory(brand=brand, recipient_phone=SHOPPER, status="delivery_failed")
    start = datetime.now(UTC) - timedelta(hours=20)
    for index, status in enumerate(["ready_to_ship", "in_transit", "out_for_delivery", "delivery_failed"]):
        message = MessageFactory(shipment=parcel, recipient=SHOPPER, channel="whatsapp", trigger_status=status,
                                 state=MessageState.READ, body=f"Update {index}: " + "news about your parcel. " * 12)
        type(message).objects.filter(pk=message.pk).update(created_at=start + timedelta(hours=index))
    for index in range(6):
        inbound = InboundMessageFactory(brand=brand, shipment=parcel, sender=SHOPPER, channel="whatsapp",
                                        text=f"Question {index}: where is my parcel?")
        type(inbound).objects.filter(pk=inbound.pk).update(received_at=start + timedelta(hours=5 + index))
    return ConversationFactory(brand=brand, recipient=SHOPPER, shipment=parcel,
                               last_inbound_at=start + timedelta(hours=10))


def test_a_long_conversation_opens_at_its_newest_message_and_shows_the_answer_sent(page, merchant):
    _, user, brand = merchant
    conversation = _long_thread(brand)
    log_in(page, user.email)

    page.goto(f"/app/inbox/{conversation.pk}/")

    assert page.evaluate("() => { const t = document.querySelector('.thread'); return t.scrollHeight > t.clientHeight; }")
    assert page.evaluate(IN_VIEW, ".thread > li:last-child")
    assert not page.evaluate(IN_VIEW, ".thread > li:first-child")

    page.get_by_label("Your answer").fill("We asked the carrier for Saturday.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_role("status").filter(has_text="Answer sent")).to_be_visible()
    expect(page.locator(".thread > li:last-child")).to_contain_text("We asked the carrier for Saturday.")
    assert page.evaluate(IN_VIEW, ".thread > li:last-child")


def test_on_a_phone_the_sending_policy_tab_is_in_view(phone_page, merchant):
    _, user, brand = merchant
    log_in(phone_page, user.email)

    phone_page.goto(f"/app/brands/{brand.pk}/sending-policy/")

    current = phone_page.locator("#channel-tabs [aria-current=page]")
    expect(current).to_contain_text("Sending policy")
    box = phone_page.evaluate("""() => {
      const strip = document.querySelector('#channel-tabs'), tab = strip.querySelector('[aria-current=page]');
      const a = strip.getBoundingClientRect(), b = tab.getBoundingClientRect();
      return {scrolls: strip.scrollWidth > strip.clientWidth, inside: b.left >= a.left - 1 && b.right <= a.right + 1};
    }""")
    assert box == {"scrolls": True, "inside": True}
