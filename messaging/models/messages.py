"""Outbound messages (the outbox), opt-outs and inbound replies.

A Message row exists before its provider is called (outbox): sending is retried by id, and the
unique (shipment, trigger status, occurrence, channel) constraint makes replays, duplicate webhooks and task
redeliveries unable to send twice.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from brands.scoping import TenantQuerySet
from messaging.models.channels import Channel
from messaging.webhooks import STATE_RANK as WEBHOOK_STATE_RANK
from tracking.models import Shipment
from tracking.statuses import Status


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Held until `not_before` (pacing, quiet hours, consolidation, a spend cap that pauses); released
    # when due by the beat task, then sent as queued.
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Suppressed")
    # A WhatsApp message replaced by its fallback (messaging.dispatch.fallback): never billed, and
    # no receipt moves it on.
    EXPIRED = "expired", _("Expired")


# Receipts only move a message forward along this order (read > delivered > sent > queued);
# defined once, next to the webhook shapes that carry the states.
STATE_RANK = WEBHOOK_STATE_RANK
assert set(STATE_RANK) <= set(MessageState.values)


class MessageKind(models.TextChoices):
    # A status update planned from a shipment's status entry (one per entry and channel).
    NOTIFICATION = "notification", _("Status update")
    # A merchant's free-form answer inside the shopper's 24-hour window (messaging.conversations):
    # sent through the same outbox, never charged, never a fallback, never superseded.
    SESSION = "session", _("Session reply")


class MessageQuerySet(TenantQuerySet):
    account_path = "brand__account"

    def notifications(self):
        return self.filter(kind=MessageKind.NOTIFICATION)


class Message(models.Model):
    # No index of their own: the unique (shipment, trigger status, channel) constraint and the
    # (brand, created_at) index serve lookups by either, and every index costs each write (a
    # message row is written three or four times: planned, accepted, delivered, read).
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="messages", db_index=False)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="messages", db_index=False)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.NOTIFICATION)
    # A session reply's: the shipment's status when it was written, occurrence 0 (no status entry).
    trigger_status = models.CharField(max_length=32, choices=Status.choices)
    # Which entry of the shipment into `trigger_status` this message announces: 1 the first time,
    # 2 for a second delivery attempt... (tracking's status entries number them).
    occurrence = models.PositiveSmallIntegerField(default=1)
    # The message of another channel this one replaces (channel fallback), or null.
    fallback_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="fallbacks", db_index=False)
    language = models.CharField(max_length=2, default="en")
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    whatsapp_template = models.CharField(max_length=64, blank=True)
    whatsapp_parameters = models.JSONField(default=list, blank=True)
    # Worked out once by planning and read by the sender: Meta's language code of the template,
    # and the shopper's signed unsubscribe link (WhatsApp's URL button, e-mail's List-Unsubscribe).
    whatsapp_language = models.CharField(max_length=16, blank=True)
    # The image of the template's header (the delivery photo of a `delivered` message), or ''.
    whatsapp_header_image = models.CharField(max_length=1000, blank=True)
    unsubscribe_url = models.CharField(max_length=500, blank=True)

    state = models.CharField(max_length=16, choices=MessageState.choices, default=MessageState.QUEUED)
    error_code = models.CharField(max_length=32, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    provider = models.CharField(max_length=32, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True)
    # Snapshot of the unit price when the provider accepted a billable message (billing copies it).
    price = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)

    attempts = models.PositiveSmallIntegerField(default=0)
    # A sender's lease: while it runs no other worker may send the same message.
    claimed_until = models.DateTimeField(null=True, blank=True)
    # When a `scheduled` message may go (kept afterwards: when it was held until).
    not_before = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "trigger_status", "occurrence", "channel"],
                condition=Q(kind="notification"),
                name="messaging_one_message_per_status_entry_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["brand", "-created_at"], name="messaging_message_brand_idx"),
            # A shipment's messages of every kind: the retention scrub and account deletion work by
            # shipment, and a shipment's deletion cascades here (without it: a whole-table scan per
            # batch, about 2 h a day at 10 M messages; bench/purge.py, README "Partitioning plan").
            models.Index(fields=["shipment"], name="messaging_message_shipment_idx"),
            # The few replacements: a message's deletion looks for the fallbacks that point at it.
            models.Index(fields=["fallback_of"], condition=Q(fallback_of__isnull=False), name="messaging_message_fallback_idx"),
            # Who wrote to this shopper lately (STOP on a shared number, an inbound's attribution) and
            # a conversation's thread: by recipient, newest first.
            models.Index(fields=["recipient", "-created_at"], name="messaging_message_recip_idx"),
            models.Index(
                fields=["provider_message_id"], condition=~Q(provider_message_id=""), name="messaging_message_provider_idx"
            ),
            # The outbox sweeper's: queued messages only, so later state changes never touch it.
            models.Index(fields=["created_at"], condition=Q(state="queued"), name="messaging_message_queued_idx"),
            # The release of held messages: scheduled rows only, so its cost grows with the rows due.
            models.Index(fields=["not_before"], condition=Q(state="scheduled"), name="messaging_message_due_idx"),
            # The fallback sweep's: WhatsApp messages sent, not yet delivered, not yet looked at
            # (dispatch/fallback.py), per brand: its cost grows with the rows due.
            models.Index(fields=["brand", "sent_at"],
                         condition=Q(state="sent", channel="whatsapp", claimed_until__isnull=True),
                         name="messaging_message_undeliv_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.trigger_status} to {self.recipient} ({self.state})"


class OptOutQuerySet(TenantQuerySet):
    account_path = "brand__account"


class OptOut(models.Model):
    """A recipient (E.164 phone or lower-case e-mail) who asked a brand to stop messaging them."""

    class Source(models.TextChoices):
        LINK = "link", "Unsubscribe link"
        REPLY = "reply", "Replied STOP"
        PROVIDER = "provider", "Provider reported an opt-out"
        MERCHANT = "merchant", "Added by the merchant"

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="opt_outs")
    recipient = models.CharField(max_length=254)
    # WhatsApp's business-scoped user id of the shopper, when the STOP came with one.
    user_id = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OptOutQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "recipient"], name="messaging_one_optout_per_recipient")]

    def __str__(self) -> str:
        return f"{self.recipient} opted out of {self.brand}"


class InboundMessageQuerySet(TenantQuerySet):
    account_path = "brand__account"


class InboundMessage(models.Model):
    """A shopper's reply (STOP, START, TRACK ...). Unique per provider id: webhook retries are no-ops."""

    provider = models.CharField(max_length=32)
    provider_message_id = models.CharField(max_length=255)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    sender = models.CharField(max_length=32, blank=True, help_text="E.164; empty when only a user id is known.")
    sender_user_id = models.CharField(max_length=64, blank=True, help_text="WhatsApp's business-scoped user id.")
    text = models.CharField(max_length=1000, blank=True)
    brand = models.ForeignKey(Brand, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages")
    # The parcel the shopper was last told about by that brand (set when attributed).
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="inbound_messages", db_index=False)
    action = models.CharField(max_length=16, blank=True)
    reply = models.TextField(blank=True)
    reply_provider_message_id = models.CharField(max_length=255, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_message_id"], name="messaging_inbound_unique_id"),
        ]
        indexes = [
            # A conversation's inbound side, and the retention purge (by age).
            models.Index(fields=["brand", "sender", "received_at"], name="messaging_inbound_thread_idx"),
            models.Index(fields=["received_at"], name="messaging_inbound_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"
