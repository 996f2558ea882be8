"""This app's part of an account's export (endpoints, never their secrets) and deletion."""

from __future__ import annotations

from collections.abc import Iterator

from webhooks_out.models import WebhookEndpoint
from webhooks_out.subscriptions import forget


def endpoints(account) -> Iterator[dict]:
    for endpoint in WebhookEndpoint.objects.for_account(account).filter(deleted_at__isnull=True).order_by("pk"):
        yield {"url": endpoint.url, "events": endpoint.events, "active": endpoint.active,
               "disabled_at": endpoint.disabled_at, "created_at": endpoint.created_at}


def erase(account) -> None:
    WebhookEndpoint.objects.for_account(account).delete()  # deliveries and attempts cascade
    forget()
