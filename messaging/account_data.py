"""messaging's part of an account's export and deletion (registered in MessagingConfig.ready)."""

from __future__ import annotations

from collections.abc import Iterator

from brands.models import Brand
from messaging.models import (
    ChannelSetting,
    Conversation,
    DeliveryRating,
    InboundMessage,
    Message,
    OptOut,
    SendingPolicy,
    ShopperAsk,
    ShopperRequest,
    TemplateOverride,
    WhatsAppConsent,
    WhatsAppSender,
)
from messaging.policy_selectors import policies_for
from messaging.selectors import channel_documents


def notification_settings(account) -> Iterator[dict]:
    # Live brands only: a deleted brand's settings no longer apply (and are read through the scoping).
    for brand in Brand.objects.for_account(account).order_by("pk"):
        brand.account = account
        for document in channel_documents(brand=brand):
            yield {"brand": brand.pk, **document.as_dict()}


def sending_policies(account) -> Iterator[dict]:
    brand_ids = list(Brand.objects.for_account(account).order_by("pk").values_list("pk", flat=True))
    policies = policies_for(brand_ids)
    for brand_id in brand_ids:
        yield {"brand": brand_id, **policies[brand_id].as_document()}


def templates(account) -> Iterator[dict]:
    for override in TemplateOverride.objects.for_account(account, include_deleted_brands=True).order_by("pk"):
        yield {"brand": override.brand_id, "channel": override.channel, "status": override.status,
               "language": override.language, "subject": override.subject, "body": override.body}


def consents(account) -> Iterator[dict]:
    for consent in WhatsAppConsent.objects.for_account(account, include_deleted_brands=True).order_by("pk"):
        yield {"given_by": consent.given_by_label, "given_at": consent.given_at, "plan": consent.plan,
               "unit_price": consent.unit_price, "currency": consent.currency}


def whatsapp_senders(account) -> Iterator[dict]:
    # The brand's own numbers, never their access tokens.
    for sender in WhatsAppSender.objects.for_account(account, include_deleted_brands=True).order_by("pk"):
        yield {"brand": sender.brand_id, "phone_number_id": sender.phone_number_id,
               "business_account_id": sender.business_account_id,
               "display_phone_number": sender.display_phone_number, "verified_name": sender.verified_name,
               "connected_at": sender.connected_at}


def opt_outs(account) -> Iterator[dict]:
    for opt_out in OptOut.objects.for_account(account, include_deleted_brands=True).order_by("pk").iterator(chunk_size=1000):
        yield {"brand": opt_out.brand_id, "recipient": opt_out.recipient, "source": opt_out.source,
               "created_at": opt_out.created_at}


def messages(account) -> Iterator[dict]:
    fields = ("id", "shipment_id", "brand_id", "channel", "kind", "trigger_status", "language", "recipient",
              "subject",
              "body", "state", "error_code", "error_message", "provider_message_id", "price", "currency",
              "created_at", "sent_at", "delivered_at", "read_at", "failed_at")
    rows = Message.objects.for_account(account, include_deleted_brands=True).order_by("pk").values(*fields)
    yield from rows.iterator(chunk_size=1000)


def inbound_messages(account) -> Iterator[dict]:
    rows = InboundMessage.objects.for_account(account, include_deleted_brands=True).order_by("pk")
    for inbound in rows.iterator(chunk_size=1000):
        yield {"brand": inbound.brand_id, "shipment": inbound.shipment_id, "channel": inbound.channel,
               "sender": inbound.sender, "text": inbound.text, "action": inbound.action, "reply": inbound.reply,
               "received_at": inbound.received_at}


def conversations(account) -> Iterator[dict]:
    rows = Conversation.objects.for_account(account, include_deleted_brands=True).order_by("pk")
    for conversation in rows.iterator(chunk_size=1000):
        yield {"brand": conversation.brand_id, "recipient": conversation.recipient,
               "shipment": conversation.shipment_id, "channel": conversation.channel,
               "language": conversation.language, "last_activity_at": conversation.last_activity_at,
               "last_inbound_at": conversation.last_inbound_at, "last_read_at": conversation.last_read_at,
               "exchange": conversation.exchange}  # a guided exchange under way (an address not yet confirmed)


def shopper_requests(account) -> Iterator[dict]:
    rows = ShopperRequest.objects.for_account(account, include_deleted_brands=True).order_by("pk")
    for request in rows.iterator(chunk_size=1000):
        yield {"id": request.pk, "shipment": request.shipment_id, "brand": request.brand_id, "kind": request.kind,
               "details": request.details, "state": request.state, "created_at": request.created_at,
               "done_at": request.done_at}


def delivery_ratings(account) -> Iterator[dict]:
    rows = DeliveryRating.objects.for_account(account, include_deleted_brands=True).order_by("pk")
    for rating in rows.iterator(chunk_size=1000):
        yield {"id": rating.pk, "shipment": rating.shipment_id, "brand": rating.brand_id, "carrier": rating.carrier,
               "score": rating.score, "comment": rating.comment, "created_at": rating.created_at}


SECTIONS = {
    "notification_settings": notification_settings,
    "sending_policies": sending_policies,
    "templates": templates,
    "whatsapp_consents": consents,
    "whatsapp_senders": whatsapp_senders,
    "opt_outs": opt_outs,
    "messages": messages,
    "inbound_messages": inbound_messages,
    "shopper_requests": shopper_requests,
    "delivery_ratings": delivery_ratings,
    "conversations": conversations,
}


# What erasing an account deletes, in this order: the brands' access tokens first (a closed
# account's brands may stay, for the billing records), the messages last.
ERASED = (WhatsAppSender, ShopperAsk, ShopperRequest, DeliveryRating, InboundMessage, Conversation, OptOut,
          TemplateOverride, ChannelSetting, SendingPolicy, WhatsAppConsent, Message)


def erase(account) -> None:
    for model in ERASED:
        model.objects.for_account(account, include_deleted_brands=True).delete()
