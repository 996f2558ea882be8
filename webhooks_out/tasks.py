"""Thin tasks: ids in, the work in sending.py. Retries are scheduled from the row (`next_attempt_at`)
with a countdown, and the sweeper picks up any due row whose task was lost."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from webhooks_out.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from webhooks_out.sending import LEASE, deliver

SWEEP_BATCH = 500
KEEP_DELIVERIES = timedelta(days=30)
KEEP_DELETED_ENDPOINTS = timedelta(days=1)


@shared_task(ignore_result=True)
def deliver_webhooks(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        deliver_webhook_now(delivery_id)


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    deliver_webhook_now(delivery_id)


def deliver_webhook_now(delivery_id: int) -> None:
    delay = deliver(delivery_id)
    if delay is not None:
        # A countdown, not a blocked worker; if this task is lost the sweeper finds the row due.
        deliver_webhook.apply_async((delivery_id,), countdown=delay)


@shared_task(ignore_result=True, expires=55)
def sweep_due_webhooks() -> int:
    """Due deliveries whose task was lost (broker restart, killed worker), a grace period after
    they fell due: only pending rows are read (a partial index), SKIP LOCKED keeps sweeps apart."""
    overdue = timezone.now() - LEASE
    with transaction.atomic():
        ids = list(WebhookDelivery.objects.select_for_update(skip_locked=True)
                   .filter(state=DeliveryState.PENDING, next_attempt_at__lte=overdue)
                   .order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    for start in range(0, len(ids), 50):
        deliver_webhooks.delay(ids[start : start + 50])
    return len(ids)


@shared_task(ignore_result=True)
def purge_deliveries() -> int:
    """The delivery log is kept 30 days (its bodies may name shoppers' requests); deleted endpoints
    one day (subscriptions.py says why they linger)."""
    now = timezone.now()
    _, removed = WebhookDelivery.objects.filter(created_at__lt=now - KEEP_DELIVERIES).exclude(
        state=DeliveryState.PENDING).delete()
    WebhookEndpoint.objects.filter(deleted_at__lt=now - KEEP_DELETED_ENDPOINTS).delete()
    return removed.get(WebhookDelivery._meta.label, 0)
