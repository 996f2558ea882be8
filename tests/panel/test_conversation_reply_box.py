"""A conversation shows what can be done in it: no reply box, and the reason, for a shopper who
sent STOP; each message's channel by its name; the thread marked to open at its newest message."""

import pytest
from django.urls import reverse

from messaging.models import MessageState
from tests.factories import ConversationFactory, InboundMessageFactory, MessageFactory, OptOutFactory

pytestmark = pytest.mark.django_db
SHOPPER = "+31612345678"


@pytest.fixture
def conversation(brand, shipment):
    MessageFactory(shipment=shipment, recipient=SHOPPER, channel="whatsapp", state=MessageState.DELIVERED)
    InboundMessageFactory(brand=brand, shipment=shipment, sender=SHOPPER, channel="whatsapp", text="Where is it?")
    return ConversationFactory(brand=brand, recipient=SHOPPER, shipment=shipment)


def test_a_shopper_who_sent_stop_is_offered_no_reply_box_and_the_page_says_why(panel, brand, conversation):
    OptOutFactory(brand=brand, recipient=SHOPPER)

    html = panel.get(reverse("panel:conversation", args=[conversation.pk])).content.decode()

    assert "Send answer" not in html and "A free answer on" not in html
    assert f"This shopper unsubscribed from {brand.name} (STOP): nothing can be sent." in html


def test_a_subscribed_shopper_in_the_window_is_offered_the_reply_box(panel, conversation):
    html = panel.get(reverse("panel:conversation", args=[conversation.pk])).content.decode()

    assert "Send answer" in html and "unsubscribed" not in html


def test_the_thread_names_each_messages_channel_and_opens_at_its_newest(panel, conversation):
    html = panel.get(reverse("panel:conversation", args=[conversation.pk])).content.decode()

    assert "· WhatsApp ·" in html and "· whatsapp ·" not in html
    assert "data-scroll-end" in html
