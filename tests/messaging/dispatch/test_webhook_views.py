
import pytest

from messaging.models import InboundMessage, Message, MessageState, OptOut
from tests.factories.messaging import MessageFactory
from tests.factories.tracking import ShipmentFactory
from tests.webhook_posts import twilio_post, whatsapp_post

pytestmark = pytest.mark.django_db
SECRET = "app-secret"


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.TWILIO_AUTH_TOKEN = "twilio-token"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_FROM_NUMBER = "AC0123", "+3197010"


def signed_post(client, payload, secret=SECRET):
    return whatsapp_post(client, payload, secret)


def envelope(statuses=(), messages=()):
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1234567890"},
             "statuses": list(statuses), "messages": list(messages)}
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}]}


def status_item(message, state, ts="1763629200"):
    return {"id": message.provider_message_id, "status": state, "timestamp": ts, "recipient_id": "31612345678",
            "biz_opaque_callback_data": str(message.pk)}


def inbound_item(text, sender="31612345678", wamid="wamid.IN1"):
    return {"from": sender, "id": wamid, "timestamp": "1763629200", "type": "text", "text": {"body": text}}


def test_verification_echoes_the_challenge_with_the_right_token(client):
    ok = client.get("/webhooks/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                            "hub.challenge": "1158201444"})
    bad = client.get("/webhooks/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "wrong",
                                             "hub.challenge": "1158201444"})

    assert (ok.status_code, ok.content) == (200, b"1158201444")
    assert bad.status_code == 403


def test_a_bad_signature_is_refused_and_nothing_is_stored(client):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.X")

    response = signed_post(client, envelope([status_item(message, "read")]), secret="not-the-secret")

    assert response.status_code == 403
    message.refresh_from_db()
    assert message.state == MessageState.SENT


def test_an_unset_app_secret_refuses_everything(client, settings):
    settings.WHATSAPP_APP_SECRET = ""
    assert signed_post(client, envelope(), secret="").status_code == 403


def test_signed_statuses_move_messages_and_replays_change_nothing(client):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, provider_message_id="wamid.X")
    payload = envelope([status_item(message, "delivered"), status_item(message, "read", "1763629260")])

    assert signed_post(client, payload).status_code == 200
    assert signed_post(client, payload).status_code == 200

    message.refresh_from_db()
    assert message.state == MessageState.READ


def test_garbage_with_a_good_signature_is_a_400(client):
    assert signed_post(client, ["not", "an", "envelope"]).status_code == 400


def test_stop_on_whatsapp_opts_out_of_the_brand_that_wrote_last(client):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient="+31612345678")

    signed_post(client, envelope(messages=[inbound_item("Stop")]))

    assert OptOut.objects.filter(brand=message.brand, recipient="+31612345678", source="reply").exists()


def test_start_after_stop_subscribes_again(client):
    MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient="+31612345678")
    signed_post(client, envelope(messages=[inbound_item("STOP", wamid="wamid.1")]))
    signed_post(client, envelope(messages=[inbound_item("START", wamid="wamid.2")]))

    assert not OptOut.objects.exists()


def test_track_answers_with_the_senders_own_parcel_for_free(client):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient="+31612345678")
    parcel = ShipmentFactory(brand=message.brand, order_number="10428", recipient_phone="+31612345678",
                             status="out_for_delivery")

    signed_post(client, envelope(messages=[inbound_item("TRACK 10428")]))

    inbound = InboundMessage.objects.get()
    assert inbound.action == "track" and parcel.tracking_token in inbound.reply
    assert "out for delivery" in inbound.reply.lower()
    assert Message.objects.count() == 1  # the reply is a free session message, not a billable one


def test_track_never_reveals_another_shoppers_order(client):
    message = MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient="+31612345678")
    other = ShipmentFactory(brand=message.brand, order_number="555", recipient_phone="+31687654321")

    signed_post(client, envelope(messages=[inbound_item("TRACK 555")]))

    reply = InboundMessage.objects.get().reply
    assert other.tracking_token not in reply and "could not find" in reply


def test_a_retried_inbound_message_is_handled_once(client):
    MessageFactory(channel="whatsapp", state=MessageState.SENT, recipient="+31612345678")
    payload = envelope(messages=[inbound_item("TRACK 1", wamid="wamid.SAME")])

    signed_post(client, payload)
    signed_post(client, payload)

    assert InboundMessage.objects.count() == 1


def test_twilio_status_callbacks_signed_like_twilio_move_sms_messages(client):
    message = MessageFactory(channel="sms", state=MessageState.SENT, provider_message_id="SM123")

    response = twilio_post(client, "/webhooks/twilio/status/",
                           {"MessageSid": "SM123", "MessageStatus": "delivered", "To": message.recipient})

    assert response.status_code == 204
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED


def test_a_twilio_callback_with_a_wrong_signature_is_refused(client):
    message = MessageFactory(channel="sms", state=MessageState.SENT, provider_message_id="SM123")

    response = twilio_post(client, "/webhooks/twilio/status/",
                           {"MessageSid": "SM123", "MessageStatus": "delivered"}, token="wrong")

    assert response.status_code == 403
    message.refresh_from_db()
    assert message.state == MessageState.SENT


def test_stop_by_sms_opts_out(client):
    message = MessageFactory(channel="sms", state=MessageState.SENT, recipient="+31612345678")

    response = twilio_post(client, "/webhooks/twilio/inbound/",
                           {"MessageSid": "SM9", "From": "+31612345678", "To": "+3197010", "Body": "STOP"})

    assert response.status_code == 200
    assert OptOut.objects.filter(brand=message.brand, recipient="+31612345678").exists()
