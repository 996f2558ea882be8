"""Reads of webhook endpoints and their delivery log, always through the account."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from brands.models import Account
from webhooks_out.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_list(*, account: Account) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.for_account(account).filter(deleted_at__isnull=True)


def recent_deliveries(*, account: Account, limit: int = 50) -> list[WebhookDelivery]:
    """The newest deliveries of the account's endpoints, each with its attempts."""
    rows = (WebhookDelivery.objects.for_account(account).filter(endpoint__deleted_at__isnull=True)
            .select_related("endpoint").order_by("-created_at", "-pk")
            .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("at", "pk"))))
    return list(rows[:limit])
