"""A brand's own WhatsApp number: its messages go from that number with its token, each sending
number is paced on its own bucket, and its token is decrypted once per process, not per message."""

import json
import re
from unittest import mock

import pytest
import responses
from django.utils import timezone

from core import field_encryption
from messaging import senders, throttle
from messaging.dispatch import sending
from messaging.models import Message, MessageState
from messaging.services.notifications import channel_document_replace
from messaging.throttle import LocalTokenBucket
from tests.factories import BrandFactory
from tests.factories.messaging import MessageFactory, WhatsAppSenderFactory
from tests.factories.tracking import ShipmentFactory
from tests.messaging.test_throttle import FakeClock

pytestmark = pytest.mark.django_db
GRAPH = "https://graph.test/v23.0"
PLATFORM_NUMBER, PLATFORM_TOKEN = "999000999000", "platform-token-0123456789abcdef"
OWN_TOKEN = "EAAGbrandOwnToken0123456789abcdef"


@pytest.fixture(autouse=True)
def platform(settings):
    settings.WHATSAPP_API_BASE_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = PLATFORM_TOKEN, PLATFORM_NUMBER


@pytest.fixture
def bucket():
    real = LocalTokenBucket(clock=FakeClock())
    with mock.patch("messaging.throttle._bucket", return_value=real):
        yield real


@pytest.fixture
def graph():
    """Meta's send endpoint for any number: notes (number id, token, our message id) per call."""
    calls = []

    def answer(request):
        number = request.url.split("/")[-2]
        calls.append((number, request.headers["Authorization"].removeprefix("Bearer "),
                      int(json.loads(request.body)["biz_opaque_callback_data"])))
        return 200, {}, json.dumps({"messaging_product": "whatsapp", "messages": [{"id": f"wamid.{len(calls)}"}]})

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback(responses.POST, re.compile(rf"{re.escape(GRAPH)}/\d+/messages"), callback=answer)
        yield calls


def whatsapp(brand, count=1):
    messages = []
    for _ in range(count):
        shipment = ShipmentFactory(brand=brand, status="out_for_delivery", recipient_phone="+31612345678")
        messages.append(MessageFactory(shipment=shipment, brand=brand, channel="whatsapp",
                                       trigger_status="out_for_delivery", recipient=shipment.recipient_phone,
                                       whatsapp_template="pc_out_for_delivery"))
    return messages


@pytest.fixture
def own_brand(notifying_brand):
    brand = BrandFactory(account=notifying_brand.account, name="Own", slug="own-number")
    # WhatsApp on in NL, as for the other brand: a message outside the toggles is never sent.
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={"NL": {}})
    WhatsAppSenderFactory(brand=brand, phone_number_id="106540352242922", token=OWN_TOKEN)
    return brand


def test_a_brands_messages_go_from_its_own_number_with_its_token(notifying_brand, own_brand, bucket, graph):
    own, = whatsapp(own_brand)
    platform, = whatsapp(notifying_brand)

    outcomes = sending.send_batch([own.pk, platform.pk], now=timezone.now())

    assert {outcome.state for outcome in outcomes.values()} == {MessageState.SENT}
    assert sorted(graph) == sorted([("106540352242922", OWN_TOKEN, own.pk),
                                    (PLATFORM_NUMBER, PLATFORM_TOKEN, platform.pk)])


def test_each_sending_number_is_paced_on_its_own_bucket(settings, notifying_brand, own_brand, bucket, graph):
    settings.WHATSAPP_MESSAGES_PER_SECOND = 2
    second_own = BrandFactory(account=notifying_brand.account, name="Own 2", slug="own-number-2")
    channel_document_replace(brand=second_own, channel="whatsapp", enabled=True, countries={"NL": {}})
    WhatsAppSenderFactory(brand=second_own, phone_number_id="106540352242923")
    ids = [m.pk for brand in (own_brand, second_own, notifying_brand) for m in whatsapp(brand, 3)]

    outcomes = sending.send_batch(ids, now=timezone.now())

    # 2 a second per number: each number sends 2 and holds 1, whatever the other numbers send
    sent = {}
    for number, _token, message_id in graph:
        sent.setdefault(number, []).append(message_id)
    assert {number: len(rows) for number, rows in sent.items()} == {
        "106540352242922": 2, "106540352242923": 2, PLATFORM_NUMBER: 2}
    assert sum(o.state == MessageState.SCHEDULED for o in outcomes.values()) == 3
    assert set(bucket._buckets) == {throttle.whatsapp_key(n) for n in
                                    ("106540352242922", "106540352242923", PLATFORM_NUMBER)}


def test_a_brand_with_its_own_number_sends_even_when_the_platform_number_is_not_configured(
        settings, own_brand, bucket, graph):
    settings.WHATSAPP_ACCESS_TOKEN = ""  # half-set platform credentials: the platform's messages fail only
    message, = whatsapp(own_brand)

    outcome = sending.send_batch([message.pk], now=timezone.now())[message.pk]

    assert outcome.state == MessageState.SENT and graph[0][0] == "106540352242922"


def test_the_token_is_decrypted_once_per_process_not_per_message(own_brand, bucket, graph):
    senders._providers.clear()
    first, second = whatsapp(own_brand, 2)

    with mock.patch("messaging.senders.field_encryption.decrypt", wraps=field_encryption.decrypt) as decrypt:
        sending.send_batch([first.pk], now=timezone.now())
        sending.send_batch([second.pk], now=timezone.now())

    assert decrypt.call_count == 1 and len(graph) == 2


def test_a_token_no_key_decrypts_fails_the_brands_messages_never_sends_from_another_number(
        settings, own_brand, bucket, graph):
    message, = whatsapp(own_brand)
    settings.FIELD_ENCRYPTION_KEYS = ["cGFyY2VsY2FzdC1vdGhlci1maWVsZC1rZXktMDAwMDA="]  # not the key it was stored with

    outcome = sending.send_batch([message.pk], now=timezone.now())[message.pk]

    assert outcome.state == MessageState.FAILED and graph == []
    assert Message.objects.get(pk=message.pk).error_code == "sender_token_unreadable"
