"""A merchant's answer is a WhatsApp free-form text; what shoppers wrote is purged after the
retention period and goes with the account's export and deletion."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from brands.account_data import account_delete
from messaging.models import Conversation, InboundMessage
from messaging.providers.base import OutboundMessage, WhatsAppTemplateCall
from messaging.providers.whatsapp import build_payload
from messaging.retention import purge_recipients
from tests.factories import BrandFactory, ConversationFactory, InboundMessageFactory

pytestmark = pytest.mark.django_db


def test_a_session_message_is_a_free_form_text_with_our_id():
    payload = build_payload(OutboundMessage(message_id=42, channel="whatsapp", to="+31612345678",
                                            body="We will ask the carrier.", session=True))

    assert payload["type"] == "text" and payload["text"]["body"] == "We will ask the carrier."
    assert payload["to"] == "31612345678" and payload["biz_opaque_callback_data"] == "42"
    assert "template" not in payload


def test_a_template_message_is_unchanged():
    payload = build_payload(OutboundMessage(message_id=1, channel="whatsapp", to="+31612345678", body="",
                                            whatsapp=WhatsAppTemplateCall("delivered", "en", ("A",))))

    assert payload["type"] == "template"


def test_inbound_messages_and_quiet_conversations_are_purged_after_the_retention_period(brand):
    old = InboundMessageFactory(brand=brand, text="old")
    new = InboundMessageFactory(brand=brand, text="new")
    stray = InboundMessageFactory(brand=None, text="nobody wrote to me")
    InboundMessage.objects.filter(pk__in=[old.pk, stray.pk]).update(received_at=timezone.now() - timedelta(days=91))
    quiet = ConversationFactory(brand=brand, recipient="+31611111111",
                                last_activity_at=timezone.now() - timedelta(days=91))
    active = ConversationFactory(brand=brand, recipient="+31622222222")

    result = purge_recipients()

    assert list(InboundMessage.objects.all()) == [new]
    assert list(Conversation.objects.all()) == [active]
    assert (result.inbound, result.conversations) == (2, 1)
    assert quiet.pk not in Conversation.objects.values_list("pk", flat=True)


def test_the_export_holds_conversations_and_inbound_and_deletion_erases_them(api, account, brand):
    ConversationFactory(brand=brand)
    InboundMessageFactory(brand=brand, text="Where is it?")
    ConversationFactory(brand=BrandFactory(), recipient="+31699999999")  # another account's

    response = api.get("/api/v1/account/export/")
    data = json.loads(b"".join(response.streaming_content))
    assert [c["recipient"] for c in data["conversations"]] == ["+31612345678"]
    assert data["inbound_messages"][0]["text"] == "Where is it?"

    account_delete(account=account, confirm=account.company_name)

    assert not InboundMessage.objects.exists()
    assert list(Conversation.objects.values_list("recipient", flat=True)) == ["+31699999999"]
