"""Shopper data is kept only as long as the account chose (Account.retention_days, default 90).

Once a shipment reached a terminal status (tracking.statuses.TERMINAL) longer ago than that, its
shopper's details are erased: the shipment's recipient name, phone, e-mail and postal code, and
its messages' recipient, subject, body, html and WhatsApp parameters, what its shopper asked
(shopper requests' details: a new address, a date) and wrote (a rating's comment). What billing and the
statistics need stays: the rows, their channels, states, times, prices and charges.

What shoppers wrote goes after the same period, counted from when they wrote: inbound messages
and conversations quiet for that long are deleted (nothing bills or counts them). Inbound texts
from numbers no brand ever wrote to have no account: they go after the default period. The
WhatsApp user id <-> number pairs (messaging.models.WhatsAppUser) belong to no account either:
a pair no webhook has shown for longer than the longest retention period of any account (and
than the default) is deleted; a shopper who writes again teaches it again.

Runs daily (beat: messaging.tasks.purge_recipients) and as `python manage.py purge_recipients`.
Batches of ids: each batch is one short transaction, and a re-run finds only what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from brands.models import Account
from messaging.models import (
    Conversation,
    DeliveryRating,
    InboundMessage,
    Message,
    ShopperAsk,
    ShopperRequest,
    WhatsAppUser,
)
from tracking.models import Shipment
from tracking.statuses import TERMINAL

BATCH = 1000
_HAS_SHOPPER_DATA = ~Q(recipient_name="") | ~Q(recipient_phone="") | ~Q(recipient_email="") | ~Q(to_postal_code="")


@dataclass
class PurgeResult:
    shipments: int = 0
    messages: int = 0
    requests: int = 0
    ratings: int = 0
    inbound: int = 0
    conversations: int = 0
    identities: int = 0  # WhatsApp user id <-> number pairs


def purgeable_shipments(*, account: Account, now):
    cutoff = now - timedelta(days=account.retention_days)
    # A deleted brand's parcels are followed no more and will never end: their time counts from
    # the deletion (brands.services.brand_delete).
    return (
        Shipment.objects.for_account(account, include_deleted_brands=True)
        .filter(Q(status__in=list(TERMINAL), status_at__lt=cutoff) | Q(brand__deleted_at__lt=cutoff))
        .filter(_HAS_SHOPPER_DATA)
    )


def purge_account(*, account: Account, now=None) -> PurgeResult:
    now = now or timezone.now()
    result = PurgeResult()
    cutoff = now - timedelta(days=account.retention_days)
    result.inbound = _delete_in_batches(
        InboundMessage.objects.for_account(account, include_deleted_brands=True).filter(received_at__lt=cutoff))
    result.conversations = _delete_in_batches(
        Conversation.objects.for_account(account, include_deleted_brands=True).filter(last_activity_at__lt=cutoff))
    while True:
        ids = list(purgeable_shipments(account=account, now=now).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return result
        with transaction.atomic():
            result.messages += Message.objects.filter(shipment_id__in=ids).update(
                recipient="", subject="", body="", html="", whatsapp_parameters=[]
            )
            result.requests += ShopperRequest.objects.filter(shipment_id__in=ids).exclude(details={}).update(details={})
            result.ratings += DeliveryRating.objects.filter(shipment_id__in=ids).exclude(comment="").update(comment="")
            ShopperAsk.objects.filter(shipment_id__in=ids).delete()  # the questions keep the shopper's number
            result.shipments += Shipment.objects.filter(pk__in=ids).update(
                recipient_name="", recipient_phone="", recipient_email="", to_postal_code=""
            )


def _delete_in_batches(rows) -> int:
    deleted = 0
    while ids := list(rows.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            deleted += rows.model.objects.filter(pk__in=ids).delete()[0]
    return deleted


def purge_recipients(*, now=None, progress: Callable[..., None] | None = None) -> PurgeResult:
    """Every account, each with its own retention period; then texts no brand was written to.
    `progress(count, total=None)` hears of the accounts done (core.progress)."""
    now = now or timezone.now()
    total = PurgeResult()
    advance = progress or (lambda count, total=None: None)
    advance(0, total=Account.objects.count())
    for account in Account.objects.order_by("pk").iterator(chunk_size=200):
        done = purge_account(account=account, now=now)
        advance(1)
        total.shipments += done.shipments
        total.messages += done.messages
        total.requests += done.requests
        total.ratings += done.ratings
        total.inbound += done.inbound
        total.conversations += done.conversations
    # System work: texts from numbers no brand wrote to belong to no account.
    default_days = Account._meta.get_field("retention_days").default
    total.inbound += _delete_in_batches(
        InboundMessage.objects.filter(brand__isnull=True, received_at__lt=now - timedelta(days=default_days)))
    longest = max(default_days, Account.objects.aggregate(days=Max("retention_days"))["days"] or 0)
    total.identities = _delete_in_batches(WhatsAppUser.objects.filter(seen_at__lt=now - timedelta(days=longest)))
    return total
