"""After a failed delivery the shopper taps Reschedule / Pick up at a point / Change address (or
answers 1 / 2 / 3 to the SMS) and a short guided exchange ends in a shopper request for the
merchant. Webhooks in and Meta/Twilio answers out in the shapes of ../shared/PROVIDERS.md."""

import json
from datetime import date, datetime, timedelta

import pytest
import responses
from django.test import Client
from django.utils import timezone

from messaging.conversations import exchanges
from messaging.default_copy import default_template, en, nl
from messaging.models import Conversation, InboundMessage, ShopperRequest
from tests.factories import BrandFactory, MessageFactory, ShipmentFactory
from tests.messaging.dispatch.test_webhook_views import SECRET, envelope, signed_post
from tests.webhook_posts import twilio_post

pytestmark = pytest.mark.django_db
GRAPH = "https://graph.test/v23.0"
PLATFORM_NUMBER = "1234567890"
TWILIO = "https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages.json"
SHOPPER = "+31612345678"
TWILIO_CREATED = {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "to": SHOPPER,
                  "from": "+3197010", "error_code": None, "error_message": None}


@pytest.fixture(autouse=True)
def provider_settings(settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_API_BASE_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = "platform-token-0123456789", PLATFORM_NUMBER
    settings.TWILIO_AUTH_TOKEN = "twilio-token"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_FROM_NUMBER = "AC0123", "+3197010"


@pytest.fixture
def meta():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.post(f"{GRAPH}/{PLATFORM_NUMBER}/messages", json={
            "messaging_product": "whatsapp", "contacts": [{"input": "31612345678", "wa_id": "31612345678"}],
            "messages": [{"id": "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI1"}]})
        yield rsps


@pytest.fixture
def twilio():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.post(TWILIO, status=201, json=TWILIO_CREATED)
        yield rsps


def failed_parcel(*, channel="whatsapp", language="en", status="delivery_failed", name="Acme"):
    parcel = ShipmentFactory(brand=BrandFactory(name=name), recipient_phone=SHOPPER, language=language,
                             status=status)
    MessageFactory(shipment=parcel, channel=channel, recipient=SHOPPER, language=language,
                   trigger_status="delivery_failed")
    return parcel


def tap_quick_reply(label, wamid="wamid.TAP1"):
    """Meta's inbound message for a tapped template quick reply (payload defaults to the label)."""
    return {"context": {"from": "15550000000", "id": "wamid.TEMPLATE1"}, "from": "31612345678", "id": wamid,
            "timestamp": "1763629200", "type": "button", "button": {"payload": label, "text": label}}


def pick_from_list(row_id, title, wamid="wamid.PICK1"):
    return {"context": {"from": "15550000000", "id": "wamid.LIST1"}, "from": "31612345678", "id": wamid,
            "timestamp": "1763629260", "type": "interactive",
            "interactive": {"type": "list_reply", "list_reply": {"id": row_id, "title": title}}}


def typed(text, wamid):
    return {"from": "31612345678", "id": wamid, "timestamp": "1763629300", "type": "text", "text": {"body": text}}


def whatsapp(item):
    response = signed_post(Client(), envelope(messages=[item]))
    assert response.status_code == 200
    return InboundMessage.objects.get(provider_message_id=item["id"])


def sms(text, sid):
    response = twilio_post(Client(), "/webhooks/twilio/inbound/",
                           {"MessageSid": sid, "From": SHOPPER, "To": "+3197010", "Body": text})
    assert response.status_code == 200
    return InboundMessage.objects.get(provider_message_id=sid)


def sent_json(rsps, index):
    return json.loads(rsps.calls[index].request.body)


def next_days():
    return exchanges.working_days(timezone.localdate())


# --- WhatsApp --------------------------------------------------------------------------------


def test_a_tap_on_reschedule_offers_five_working_days_as_a_list_and_the_choice_becomes_a_request(meta):
    parcel = failed_parcel()
    days = next_days()

    asked = whatsapp(tap_quick_reply("Reschedule"))

    listed = sent_json(meta, 0)
    assert listed["type"] == "interactive" and listed["interactive"]["type"] == "list"
    assert listed["to"] == "31612345678"
    rows = listed["interactive"]["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == [day.isoformat() for day in days]
    assert listed["interactive"]["action"]["button"] == "Choose a day"
    assert asked.action == "reschedule_ask" and not ShopperRequest.objects.exists()

    done = whatsapp(pick_from_list(days[2].isoformat(), rows[2]["title"]))

    request = ShopperRequest.objects.get()
    assert (request.shipment, request.kind, request.details) == (parcel, "reschedule", {"date": days[2].isoformat()})
    assert done.action == "reschedule"
    answer = sent_json(meta, 1)
    assert answer["type"] == "text" and answer["text"]["body"] == done.reply
    assert done.reply == en.REPLIES["ex_reschedule_done"].format(brand="Acme",
                                                                 date=exchanges.day_label(days[2], "en"))
    assert "stays as planned" in done.reply  # the shop has the request; the carrier has not changed anything
    assert Conversation.objects.get().exchange == {}


def test_a_pickup_point_is_taken_as_free_text(meta):
    parcel = failed_parcel()

    asked = whatsapp(tap_quick_reply("Pick up at a point"))
    done = whatsapp(typed("DHL ServicePoint, Kalverstraat 12, Amsterdam", "wamid.T2"))

    assert asked.reply == en.REPLIES["ex_pickup_ask"].format(brand="Acme")
    request = ShopperRequest.objects.get()
    assert (request.shipment, request.kind) == (parcel, "pickup_point")
    assert request.details == {"text": "DHL ServicePoint, Kalverstraat 12, Amsterdam"}
    assert done.action == "pickup_point" and "Kalverstraat 12" in done.reply


def test_a_new_address_is_read_back_and_stored_only_after_yes(meta):
    parcel = failed_parcel()

    whatsapp(tap_quick_reply("Change address"))
    first = whatsapp(typed("Damrak 1, 1012 LG Amsterdam", "wamid.A1"))
    again = whatsapp(typed("NO", "wamid.A2"))
    second = whatsapp(typed("Damrak 10, 1012 LG Amsterdam", "wamid.A3"))
    assert not ShopperRequest.objects.exists()
    done = whatsapp(typed("Yes", "wamid.A4"))

    assert first.reply == en.REPLIES["ex_address_confirm"].format(brand="Acme", address="Damrak 1, 1012 LG Amsterdam")
    assert again.action == "address_ask" and second.action == "address_confirm"
    request = ShopperRequest.objects.get()
    assert (request.shipment, request.kind, request.details) == (
        parcel, "address_change", {"address": "Damrak 10, 1012 LG Amsterdam"})
    assert done.action == "address_change"
    assert done.reply == en.REPLIES["ex_address_done"].format(brand="Acme", address="Damrak 10, 1012 LG Amsterdam")


def test_no_when_asked_for_the_address_cancels_the_exchange(meta):
    failed_parcel()

    whatsapp(tap_quick_reply("Change address"))
    cancelled = whatsapp(typed("nee", "wamid.C1"))

    assert cancelled.action == "exchange_cancel" and not ShopperRequest.objects.exists()
    assert Conversation.objects.get().exchange == {}


def test_a_dutch_shopper_is_answered_wholly_in_dutch(meta):
    failed_parcel(language="nl", name="Bloemenhuis")
    days = next_days()

    whatsapp(tap_quick_reply("Nieuwe afspraak"))
    done = whatsapp(pick_from_list(days[0].isoformat(), "whatever the title"))

    listed = sent_json(meta, 0)["interactive"]
    assert listed["body"]["text"] == nl.REPLIES["ex_reschedule_ask"].format(brand="Bloemenhuis")
    assert listed["action"]["button"] == "Kies een dag"
    row = listed["action"]["sections"][0]["rows"][0]
    assert row["title"] == nl.REPLIES["weekdays"][days[0].weekday()].capitalize()
    assert row["description"].split()[1] in ("januari", "februari", "maart", "april", "mei", "juni", "juli",
                                             "augustus", "september", "oktober", "november", "december")
    assert done.reply == nl.REPLIES["ex_reschedule_done"].format(brand="Bloemenhuis",
                                                                 date=exchanges.day_label(days[0], "nl"))
    english = ("thank you", "request", "delivery", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
               "January", "December", "planned", "carrier")
    for text in (listed["body"]["text"], row["title"], row["description"], done.reply):
        assert not [word for word in english if word in text], text  # Dutch writes "december" in lower case


@pytest.mark.parametrize("status", ["in_transit", "delivered", "out_for_delivery"])
def test_an_exchange_is_only_for_a_parcel_whose_delivery_failed(meta, status):
    failed_parcel(status=status)

    record = whatsapp(tap_quick_reply("Reschedule"))

    assert record.action == "unknown"  # the menu, as for any text we do not understand
    assert sent_json(meta, 0)["type"] == "text"
    assert not ShopperRequest.objects.exists() and Conversation.objects.get().exchange == {}


def test_an_expired_exchange_is_dropped_silently_into_the_menu(meta):
    failed_parcel()
    whatsapp(tap_quick_reply("Pick up at a point"))
    conversation = Conversation.objects.get()
    expired = {**conversation.exchange, "expires_at": (timezone.now() - timedelta(minutes=1)).isoformat()}
    Conversation.objects.filter(pk=conversation.pk).update(exchange=expired)

    record = whatsapp(typed("Albert Heijn Damrak", "wamid.E1"))

    assert record.action == "unknown" and record.reply.startswith(en.REPLIES["not_understood"].format(brand="Acme"))
    assert not ShopperRequest.objects.exists() and Conversation.objects.get().exchange == {}


def test_an_exchange_expires_with_the_24_hour_window(meta):
    failed_parcel()

    whatsapp(tap_quick_reply("Reschedule"))

    state = Conversation.objects.get().exchange
    assert state["kind"] == "reschedule" and state["step"] == "date"
    window = Conversation.objects.get().last_inbound_at + timedelta(hours=24)
    assert abs((datetime.fromisoformat(state["expires_at"]) - window).total_seconds()) < 5


def test_stop_during_an_exchange_stops_and_ends_it(meta):
    failed_parcel()
    whatsapp(tap_quick_reply("Change address"))

    record = whatsapp(typed("STOP", "wamid.S1"))

    assert record.action == "stop" and Conversation.objects.get().exchange == {}
    assert not ShopperRequest.objects.exists()


# --- SMS -------------------------------------------------------------------------------------


def test_sms_1_gets_a_numbered_list_and_the_number_chosen_becomes_a_request(twilio):
    parcel = failed_parcel(channel="sms")
    days = next_days()

    asked = sms("1", "SM00000000000000000000000000000001")
    done = sms("3", "SM00000000000000000000000000000002")

    assert asked.action == "reschedule_ask"
    assert "2. " + exchanges.day_label(days[1], "en") in asked.reply
    assert asked.reply.endswith(en.REPLIES["ex_reply_number"])
    request = ShopperRequest.objects.get()
    assert (request.shipment, request.kind, request.details) == (parcel, "reschedule", {"date": days[2].isoformat()})
    bodies = [call.request.body for call in twilio.calls]
    assert len(bodies) == 2 and "interactive" not in bodies[0]
    assert done.reply == en.REPLIES["ex_reschedule_done"].format(brand="Acme", date=exchanges.day_label(days[2], "en"))


def test_sms_a_number_that_is_not_offered_asks_again(twilio):
    failed_parcel(channel="sms")

    sms("1", "SM00000000000000000000000000000011")
    again = sms("9", "SM00000000000000000000000000000012")

    assert again.action == "reschedule_ask" and again.reply.startswith(en.REPLIES["ex_not_a_choice"].format(brand="Acme"))
    assert not ShopperRequest.objects.exists()


def test_sms_2_asks_for_the_pickup_point(twilio):
    failed_parcel(channel="sms")

    sms("2", "SM00000000000000000000000000000021")
    sms("PostNL punt Primera Rokin", "SM00000000000000000000000000000022")

    assert ShopperRequest.objects.get().details == {"text": "PostNL punt Primera Rokin"}


@pytest.mark.parametrize("language", ["en", "fr", "de", "nl", "es", "it"])
def test_the_failed_delivery_sms_offers_reply_1_2_3(language):
    body = default_template("sms", "delivery_failed", language).body

    assert all(f"{number} " in body for number in (1, 2, 3))


# --- pure parts ------------------------------------------------------------------------------


def test_the_next_five_working_days_skip_the_weekend():
    friday = date(2026, 12, 4)

    assert exchanges.working_days(friday) == [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9),
                                              date(2026, 12, 10), date(2026, 12, 11)]


def test_taps_are_parsed_with_their_payload_and_label():
    from messaging.webhooks.whatsapp_parse import parse

    button = parse(envelope(messages=[tap_quick_reply("Reschedule")])).inbound[0]
    listed = parse(envelope(messages=[pick_from_list("2026-12-07", "Monday")])).inbound[0]
    pressed = parse(envelope(messages=[{
        "from": "31612345678", "id": "wamid.B1", "timestamp": "1763629200", "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}}}])).inbound[0]

    assert (button.text, button.payload) == ("Reschedule", "Reschedule")
    assert (listed.text, listed.payload) == ("Monday", "2026-12-07")
    assert (pressed.text, pressed.payload) == ("Yes", "yes")
    assert parse(envelope(messages=[typed("hi", "wamid.T")])).inbound[0].payload == ""


def test_a_session_list_has_one_section_of_at_most_ten_rows_within_metas_limits():
    from messaging.providers.base import ProviderError
    from messaging.providers.session import ListRow, session_list_payload

    payload = session_list_payload("+31612345678", body="Which day?", button="Choose a day, any day you like",
                                   rows=[ListRow("2026-12-07", "A title longer than twenty-four", "7 December 2026")])

    action = payload["interactive"]["action"]
    assert payload["type"] == "interactive" and payload["interactive"]["body"] == {"text": "Which day?"}
    assert len(action["button"]) <= 20 and len(action["sections"][0]["rows"][0]["title"]) <= 24
    with pytest.raises(ProviderError):
        session_list_payload("+31612345678", body="x", button="y", rows=[ListRow(str(n), "t") for n in range(11)])
