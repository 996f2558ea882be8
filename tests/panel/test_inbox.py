"""The Inbox: threads newest first with an unread marker, the shipment beside the thread, a search
by phone, e-mail or order number, and an answer inside the 24-hour window (refused outside it)
that goes out through the outbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import Charge
from messaging.models import Conversation, Message, MessageKind, MessageState
from tests.factories import (
    BrandFactory,
    ConversationFactory,
    InboundMessageFactory,
    MessageFactory,
    OptOutFactory,
    ShipmentFactory,
)

pytestmark = pytest.mark.django_db
SHOPPER = "+31612345678"


@pytest.fixture
def conversation(brand, shipment):
    MessageFactory(shipment=shipment, recipient=SHOPPER, channel="whatsapp", body="Acme: your parcel is on its way",
                   state=MessageState.DELIVERED)
    InboundMessageFactory(brand=brand, shipment=shipment, sender=SHOPPER, text="Can you leave it with the neighbours?",
                          action="unknown", reply="Acme: sorry, we did not understand your message.")
    return ConversationFactory(brand=brand, recipient=SHOPPER, shipment=shipment)


def test_the_inbox_lists_threads_newest_first_with_an_unread_marker(panel, brand, conversation):
    older = ConversationFactory(brand=brand, recipient="+31622222222", last_read_at=timezone.now(),
                                last_activity_at=timezone.now() - timedelta(days=3))

    response = panel.get(reverse("panel:inbox"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [conversation, older]
    html = response.content.decode()
    assert html.count("Unread</span>") == 1 and "Can you leave it with the neighbours?" in html
    assert "ACME0001NL" in html


@pytest.mark.parametrize("query", ["+31612345678", "6 1234 5678", "sanne@example.com", "ORD-1", "#ORD-1"])
def test_the_inbox_searches_by_phone_email_or_order_number(panel, brand, conversation, query):
    other_parcel = ShipmentFactory(brand=brand, recipient_phone="+31699999999", recipient_email="x@example.com",
                                   order_number="ORD-9")
    ConversationFactory(brand=brand, recipient="+31699999999", shipment=other_parcel)

    found = panel.get(reverse("panel:inbox"), {"q": query}).context["page"].object_list

    assert list(found) == [conversation]


def test_another_accounts_thread_is_a_404(panel):
    foreign = ConversationFactory(brand=BrandFactory())

    assert panel.get(reverse("panel:conversation", args=[foreign.pk])).status_code == 404
    assert panel.post(reverse("panel:conversation", args=[foreign.pk]), {"text": "hi"}).status_code == 404


def test_opening_a_thread_shows_it_beside_its_shipment_and_marks_it_read(panel, conversation):
    response = panel.get(reverse("panel:conversation", args=[conversation.pk]))

    html = response.content.decode()
    assert "Can you leave it with the neighbours?" in html and "your parcel is on its way" in html
    assert "ACME0001NL" in html and "ORD-1" in html and "Send answer" in html
    conversation.refresh_from_db()
    assert not conversation.unread


def test_an_answer_inside_the_window_goes_through_the_outbox_free(panel, conversation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = panel.post(reverse("panel:conversation", args=[conversation.pk]),
                              {"text": "Yes, we will ask the carrier."})

    assert response.status_code == 302
    answer = Message.objects.get(kind=MessageKind.SESSION)
    assert (answer.recipient, answer.channel, answer.body) == (SHOPPER, "whatsapp", "Yes, we will ask the carrier.")
    assert answer.state in (MessageState.SENT, MessageState.DELIVERED, MessageState.READ)
    assert answer.provider == "sandbox" and answer.provider_message_id.startswith("wamid.SANDBOX")
    assert answer.price is None and not Charge.objects.filter(message=answer).exists()
    outbox = panel.get(reverse("panel:outbox")).content.decode()
    assert "Yes, we will ask the carrier." in outbox


def test_an_answer_outside_the_window_is_refused_and_nothing_is_saved(panel, conversation):
    Conversation.objects.filter(pk=conversation.pk).update(last_inbound_at=timezone.now() - timedelta(hours=25))

    page = panel.get(reverse("panel:conversation", args=[conversation.pk])).content.decode()
    response = panel.post(reverse("panel:conversation", args=[conversation.pk]), {"text": "Hello?"})

    assert "Send answer" not in page and "24-hour reply window is closed" in page
    assert response.status_code == 400
    assert "24-hour reply window is closed" in response.content.decode()
    assert not Message.objects.filter(kind=MessageKind.SESSION).exists()


def test_an_answer_to_a_shopper_who_sent_stop_is_refused(panel, brand, conversation):
    OptOutFactory(brand=brand, recipient=SHOPPER)

    response = panel.post(reverse("panel:conversation", args=[conversation.pk]), {"text": "Hello?"})

    assert response.status_code == 400 and "unsubscribed" in response.content.decode()
    assert not Message.objects.filter(kind=MessageKind.SESSION).exists()
