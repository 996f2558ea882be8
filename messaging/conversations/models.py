"""One row per (brand, shopper) who wrote: what the Inbox lists and marks read.

The thread itself is not copied here: it is the brand's outbound messages to that recipient and
the inbound messages from them, read by selectors.py. The row keeps what is worth storing once
rather than working out on every page: the latest activity (the Inbox order), the latest
inbound (the 24-hour customer service window), the merchant's read marker and the shipment shown
beside the thread.
"""

from __future__ import annotations

from django.db import models

from brands.models import Brand
from brands.scoping import TenantQuerySet
from messaging.models.channels import Channel
from tracking.models import Shipment


class ConversationQuerySet(TenantQuerySet):
    account_path = "brand__account"


class Conversation(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="conversations", db_index=False)
    recipient = models.CharField(max_length=254, help_text="The shopper: E.164 phone number.")
    # The parcel the thread is about: the one of the brand's latest message to this shopper.
    shipment = models.ForeignKey(Shipment, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="conversations", db_index=False)
    # The channel the shopper last wrote on: a merchant's answer goes back on it.
    channel = models.CharField(max_length=16, choices=Channel.choices)  # the one the shopper last wrote on
    language = models.CharField(max_length=2, default="en")
    last_activity_at = models.DateTimeField()
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The guided exchange under way, if any (exchanges.py): {"kind", "step", "shipment_id",
    # "started_at", "expires_at", ...}; {} when none. It lives only inside the 24-hour window.
    exchange = models.JSONField(default=dict, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        app_label = "messaging"
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "recipient"], name="messaging_one_conversation_per_shopper"),
        ]
        indexes = [
            models.Index(fields=["brand", "-last_activity_at"], name="messaging_conversation_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} with {self.brand}"

    @property
    def unread(self) -> bool:
        return self.last_inbound_at is not None and (self.last_read_at is None or self.last_read_at < self.last_inbound_at)
