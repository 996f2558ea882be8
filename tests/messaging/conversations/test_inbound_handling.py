"""A shopper's text joins its conversation and is answered in the shopper's language; on the
shared number a STOP stops every brand that wrote there in the last 30 days."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from messaging.conversations import replies
from messaging.default_copy import en, nl
from messaging.dispatch.inbound import handle_inbound
from messaging.models import Conversation, InboundMessage, Message, OptOut
from messaging.webhooks import InboundText
from tests.factories import BrandFactory, MessageFactory, ShipmentFactory

pytestmark = pytest.mark.django_db
SHOPPER = "+31612345678"
LANGUAGES = ("en", "fr", "de", "nl", "es", "it")


def inbound(text, *, wamid="wamid.IN1", sender=SHOPPER, number="1234567890"):
    return handle_inbound(InboundText(sender=sender, text=text, provider_message_id=wamid,
                                      at=datetime.now(UTC), phone_number_id=number),
                          channel="whatsapp", provider="whatsapp_cloud")


def wrote(brand, *, days_ago=0, language="en", **shipment):
    parcel = ShipmentFactory(brand=brand, recipient_phone=SHOPPER, language=language, **shipment)
    message = MessageFactory(shipment=parcel, channel="whatsapp", recipient=SHOPPER, language=language)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return parcel


def test_stop_on_the_shared_number_stops_every_brand_that_wrote_and_names_them(account):
    acme, zeta = BrandFactory(account=account, name="Acme"), BrandFactory(name="Zeta")
    wrote(acme, days_ago=3)
    wrote(zeta, days_ago=1)  # wrote last: the conversation's brand

    record = inbound("STOP")

    assert set(OptOut.objects.filter(recipient=SHOPPER).values_list("brand__name", flat=True)) == {"Acme", "Zeta"}
    assert record.action == "stop" and record.brand.name == "Zeta"
    assert record.reply == "You will no longer receive parcel updates from Zeta and Acme. Reply START to receive " \
                           "them again."


def test_a_brand_that_wrote_40_days_ago_is_not_stopped():
    recent, old = BrandFactory(name="Recent"), BrandFactory(name="Old")
    wrote(old, days_ago=40)
    wrote(recent, days_ago=2)

    record = inbound("stop")

    assert list(OptOut.objects.values_list("brand__name", flat=True)) == ["Recent"]
    assert "Old" not in record.reply


def test_start_subscribes_again_every_brand_the_stop_stopped():
    acme, zeta = BrandFactory(name="Acme"), BrandFactory(name="Zeta")
    wrote(acme, days_ago=3)
    wrote(zeta, days_ago=1)
    inbound("STOP", wamid="wamid.1")

    record = inbound("START", wamid="wamid.2")

    assert not OptOut.objects.exists()
    assert record.reply == "You will receive parcel updates from Zeta and Acme again. Reply STOP to stop them."


def test_on_a_brands_own_number_stop_stops_that_brand_only(monkeypatch):
    own, other = BrandFactory(name="Own"), BrandFactory(name="Other")
    wrote(own, days_ago=2)
    wrote(other, days_ago=1)
    from tests.factories.messaging import WhatsAppSenderFactory

    WhatsAppSenderFactory(brand=own, phone_number_id="100000000009")
    monkeypatch.setattr("messaging.conversations.handling.send_reply", lambda *args, **kwargs: "")

    record = inbound("STOP", number="100000000009")

    assert list(OptOut.objects.values_list("brand__name", flat=True)) == ["Own"]
    assert record.brand == own


def test_the_dutch_track_reply_is_wholly_dutch():
    brand = BrandFactory(name="Bloemenhuis")
    parcel = wrote(brand, language="nl", order_number="BBULK-1", status="in_transit")

    record = inbound("VOLG BBULK-1")

    assert record.reply == (f"Bloemenhuis: de status van je bestelling BBULK-1 is: Onderweg. Volg je pakket hier: "
                            f"https://parcelcast.test/track/{parcel.tracking_token}/")
    for english in ("order", "is on its way", "Track", "here", "status of your"):
        assert english not in record.reply


def test_track_alone_answers_with_the_parcel_of_the_conversation():
    brand = BrandFactory(name="Acme")
    parcel = wrote(brand, status="out_for_delivery")

    record = inbound("TRACK")

    assert record.action == "track" and parcel.tracking_token in record.reply
    assert "Out for delivery" in record.reply


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_answer_is_in_the_language_of_the_latest_message_to_the_shopper(language):
    brand = BrandFactory(name="Acme")
    wrote(brand, language=language)

    stop, help_, unknown = inbound("STOP", wamid="w1"), inbound("HELP", wamid="w2"), inbound("RETURN", wamid="w3")

    assert stop.reply == replies.reply_text("stop", language, brands="Acme")
    assert help_.reply == replies.reply_text("menu", language, brand="Acme")
    assert unknown.reply.startswith(replies.reply_text("not_understood", language, brand="Acme"))


@pytest.mark.parametrize("text", ["YES", "RETURN", "CHANGE ADDRESS", "Hallo, waar blijft het?"])
def test_an_unknown_text_or_a_yes_with_nothing_pending_gets_the_menu_never_could_not_find_order(text):
    brand = BrandFactory(name="Acme")
    wrote(brand, language="nl")

    record = inbound(text)

    assert "VOLG" in record.reply and "STOP" in record.reply
    assert "niet vinden" not in record.reply and "could not find" not in record.reply


def test_a_yes_with_nothing_pending_gets_the_plain_menu():
    wrote(BrandFactory(name="Acme"))

    record = inbound("Yes")

    assert record.action == "yes" and record.reply == en.REPLIES["menu"].format(brand="Acme")


def test_track_with_someone_elses_order_says_not_found_in_the_shoppers_language():
    brand = BrandFactory(name="Acme")
    wrote(brand, language="nl")
    ShipmentFactory(brand=brand, recipient_phone="+31699999999", order_number="555")

    record = inbound("VOLG 555")

    assert record.reply == nl.REPLIES["track_not_found"].format(brand="Acme", order="555")


def test_the_inbound_message_joins_the_conversation_with_its_brand_and_shipment():
    brand = BrandFactory(name="Acme")
    parcel = wrote(brand, language="de")

    record = inbound("Hallo?")

    conversation = Conversation.objects.get()
    assert (conversation.brand, conversation.recipient, conversation.shipment) == (brand, SHOPPER, parcel)
    assert conversation.unread and conversation.language == "de"
    assert (record.brand, record.shipment) == (brand, parcel)


def test_a_text_from_a_number_nobody_wrote_to_is_stored_unattributed():
    record = inbound("STOP")

    assert record.action == "unknown_sender" and record.brand is None
    assert not Conversation.objects.exists() and InboundMessage.objects.count() == 1
