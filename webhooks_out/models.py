"""Endpoints an account registered, and the outbox of deliveries to them with each attempt.

A WebhookDelivery is written in the transaction of its event (events.publish) and holds the exact
body sent at every attempt (same `id`: receivers deduplicate by it). Sending claims a due row with
a conditional UPDATE (sending.py), so a redelivered task or the sweeper never sends it twice at once.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Account
from brands.scoping import TenantQuerySet


class EventType(models.TextChoices):
    SHIPMENT_STATUS_CHANGED = "shipment.status_changed", _("A shipment's status changed")
    MESSAGE_STATE_CHANGED = "message.state_changed", _("A message was sent, delivered, read or failed")
    SHOPPER_REQUEST_CREATED = "shopper_request.created", _("A shopper asked for something")
    FEEDBACK_CREATED = "feedback.created", _("A shopper rated a delivery")


# Sent only by the panel's "send test event" button, to one endpoint; never subscribed to.
TEST_EVENT = "webhook.test"


class EndpointQuerySet(TenantQuerySet):
    account_path = "account"


class WebhookEndpoint(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event types (EventType values) sent to this URL.")
    # Stored as given, since it must sign every delivery (HMAC needs the key itself, so a hash would not
    # do); shown once at creation and never returned by the API or the panel afterwards.
    secret = models.CharField(max_length=80, editable=False)
    active = models.BooleanField(default=True)
    # Since when every attempt failed (null: the last one succeeded). 24 hours of it switch it off.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleted by its owner: hidden at once, the row removed a day later (tasks.purge_deliveries).
    # Another process may still hold the cached listener map for a few seconds and write a delivery
    # for it (subscriptions.py): the row must exist then, or that event's transaction would fail.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class DeliveryQuerySet(TenantQuerySet):
    account_path = "endpoint__account"


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    event_id = models.UUIDField(default=uuid.uuid4)
    event_type = models.CharField(max_length=64)
    body = models.TextField(help_text="The JSON document sent, byte for byte, at every attempt.")
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next attempt is due (pending rows); while an attempt runs, the end of its lease.
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhooks_delivery_endpoint_idx"),
            # The sweeper reads only pending rows that are due: its cost grows with them.
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="webhooks_delivery_due_idx"),
            models.Index(fields=["created_at"], name="webhooks_delivery_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id} ({self.state})"


class AttemptQuerySet(TenantQuerySet):
    account_path = "delivery__endpoint__account"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error[:40]} at {self.at:%Y-%m-%d %H:%M:%S}"
