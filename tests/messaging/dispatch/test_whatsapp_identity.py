"""Replayed WhatsApp webhooks with and without business-scoped user ids: shoppers keyed by number
or user id, whichever comes; STOP and TRACK work for a shopper who shows only a user id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.models import InboundMessage, MessageState, OptOut, WhatsAppUser
from tests.factories.messaging import MessageFactory, WhatsAppUserFactory
from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.test_webhook_views import envelope, signed_post, webhook_settings  # noqa: F401

pytestmark = pytest.mark.django_db

USER_ID = "US.13491208655302741918"
PHONE = "+31612345678"


def text_from(text, *, wamid, phone="31612345678", user_id=""):
    item = {"id": wamid, "timestamp": "1763629200", "type": "text", "text": {"body": text}}
    if phone:
        item["from"] = phone
    if user_id:
        item["from_user_id"] = user_id
    return item


def status_for(message, state="delivered", *, phone="31612345678", user_id="", ts="1763629200"):
    item = {"id": message.provider_message_id, "status": state, "timestamp": ts,
            "biz_opaque_callback_data": str(message.pk)}
    if phone:
        item["recipient_id"] = phone
    if user_id:
        item["recipient_user_id"] = user_id
    return item


@pytest.fixture
def conversation():
    """Our WhatsApp message to the shopper's number, and their parcel."""
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient=PHONE, provider_message_id="wamid.OUT1")
    parcel = ShipmentFactory(brand=message.brand, order_number="10428", recipient_phone=PHONE, status="in_transit")
    return message, parcel


def test_a_status_showing_only_the_user_id_moves_the_message_and_teaches_the_pair(client, conversation):
    message, _ = conversation

    signed_post(client, envelope([status_for(message, phone="", user_id=USER_ID)]))

    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
    assert WhatsAppUser.objects.get(user_id=USER_ID).phone == PHONE  # the number we sent it to


def test_a_stop_from_a_user_id_only_sender_opts_out_the_number_learnt_from_a_status(client, conversation):
    message, _ = conversation
    # given: a status showed number and user id together
    signed_post(client, envelope([status_for(message, user_id=USER_ID)]))
    # when: the shopper writes STOP showing only the user id
    signed_post(client, envelope(messages=[text_from("STOP", wamid="wamid.IN1", phone="", user_id=USER_ID)]))

    # then: the right recipient is opted out of the right brand, with the user id kept
    optout = OptOut.objects.get()
    assert (optout.brand, optout.recipient, optout.user_id, optout.source) == (message.brand, PHONE, USER_ID, "reply")
    inbound = InboundMessage.objects.get()
    assert (inbound.sender, inbound.sender_user_id, inbound.action) == (PHONE, USER_ID, "stop")


def test_a_stop_from_a_user_id_only_sender_after_an_inbound_that_showed_both(client, conversation):
    message, _ = conversation
    signed_post(client, envelope(messages=[text_from("hello", wamid="wamid.IN1", user_id=USER_ID)]))

    signed_post(client, envelope(messages=[text_from("Stop", wamid="wamid.IN2", phone="", user_id=USER_ID)]))

    assert OptOut.objects.filter(brand=message.brand, recipient=PHONE).exists()


def test_track_from_a_user_id_only_sender_answers_with_their_parcel(client, conversation):
    _, parcel = conversation
    WhatsAppUserFactory(user_id=USER_ID, phone=PHONE)

    signed_post(client, envelope(messages=[text_from("TRACK 10428", wamid="wamid.IN1", phone="", user_id=USER_ID)]))

    inbound = InboundMessage.objects.get()
    assert inbound.action == "track" and parcel.tracking_token in inbound.reply


def test_the_user_id_may_come_in_the_contacts_beside_the_number(client, conversation):
    payload = envelope(messages=[text_from("hi", wamid="wamid.IN1")])
    payload["entry"][0]["changes"][0]["value"]["contacts"] = [
        {"profile": {"name": "Sanne"}, "wa_id": "31612345678", "user_id": USER_ID}]

    signed_post(client, payload)

    assert WhatsAppUser.objects.get(user_id=USER_ID).phone == PHONE
    assert InboundMessage.objects.get().sender_user_id == USER_ID


def test_a_user_id_never_seen_with_a_number_opts_out_nobody_and_is_an_unknown_sender(client, conversation):
    signed_post(client, envelope(messages=[text_from("STOP", wamid="wamid.IN1", phone="", user_id=USER_ID)]))

    assert not OptOut.objects.exists()
    inbound = InboundMessage.objects.get()
    assert (inbound.sender, inbound.sender_user_id, inbound.action, inbound.reply) == ("", USER_ID, "unknown_sender", "")


def test_webhooks_without_user_ids_work_as_before(client, conversation):
    message, parcel = conversation
    signed_post(client, envelope([status_for(message)], [text_from("TRACK 10428", wamid="wamid.IN1")]))

    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
    assert parcel.tracking_token in InboundMessage.objects.get().reply
    assert not WhatsAppUser.objects.exists()


def test_a_shopper_who_changed_number_moves_the_user_id_to_the_new_number(client, conversation):
    WhatsAppUserFactory(user_id=USER_ID, phone="+31600000000")

    signed_post(client, envelope(messages=[text_from("hi", wamid="wamid.IN1", user_id=USER_ID)]))

    assert WhatsAppUser.objects.get(user_id=USER_ID).phone == PHONE


def test_learning_identities_of_a_big_batch_costs_a_constant_number_of_queries(client):
    def batch(size, offset):
        messages = [MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient=f"+3161234{n:04d}",
                                   provider_message_id=f"wamid.B{n}") for n in range(offset, offset + size)]
        return envelope([status_for(m, "sent", phone=m.recipient[1:], user_id=f"NL.{m.pk:08d}") for m in messages])

    def queries(payload):
        with CaptureQueriesContext(connection) as captured:
            signed_post(client, payload)
        return [q["sql"] for q in captured.captured_queries if "whatsappuser" in q["sql"] or "messagepricing" in q["sql"]]

    # one SELECT of the messages (with their stored pricing), one upsert of the pairs
    assert len(queries(batch(2, 0))) == len(queries(batch(20, 100))) == 2
    assert WhatsAppUser.objects.count() == 22
