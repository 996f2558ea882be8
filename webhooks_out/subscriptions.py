"""Who listens to what, cached: the check every emitter makes before it builds anything.

`listeners(event_type)` maps a brand id to the ids of its account's active endpoints subscribed to
that event. With no endpoint anywhere it is an empty dict and an emitter returns at once: the hot
paths (ingest, sending, receipts) cost no query, and at most one cache read per process every few
seconds (a process-local copy in front of Django's cache). Any change of endpoints or brands
forgets it, at once and again on commit (a reader may have cached the old rows in between); other
processes see the change within `LOCAL_SECONDS`.
"""

from __future__ import annotations

import time
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction

CACHE_KEY = "webhooks_out:listeners:v1"
CACHE_SECONDS = 300
LOCAL_SECONDS = 5.0

_local: tuple[float, dict] | None = None


def _load() -> dict[str, dict[int, tuple[int, ...]]]:
    from webhooks_out.models import WebhookEndpoint

    found: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    # System-wide by design: the map of every account's active endpoints (ids only, no tenant data).
    # A deleted brand has no listeners: nothing is published for it (brands.services.brand_delete).
    rows = WebhookEndpoint.objects.filter(
        active=True, deleted_at__isnull=True, account__closed_at__isnull=True, account__brands__isnull=False,
        account__brands__deleted_at__isnull=True)
    for endpoint_id, events, brand_id in rows.values_list("pk", "events", "account__brands__pk").order_by("pk"):
        for event_type in events or ():
            found[event_type][brand_id].append(endpoint_id)
    return {event: {brand: tuple(ids) for brand, ids in brands.items()} for event, brands in found.items()}


def _all() -> dict[str, dict[int, tuple[int, ...]]]:
    global _local
    now = time.monotonic()
    local = _local
    if local is not None and local[0] > now:
        return local[1]
    value = cache.get(CACHE_KEY)
    if value is None:
        value = _load()
        cache.set(CACHE_KEY, value, CACHE_SECONDS)
    _local = (now + LOCAL_SECONDS, value)
    return value


def listeners(event_type: str) -> dict[int, tuple[int, ...]]:
    """brand id -> endpoint ids subscribed to `event_type` (empty: nobody listens)."""
    return _all().get(event_type, {})


def forget() -> None:
    """Drop the cached map now and once the current transaction commits."""
    global _local
    _local = None
    cache.delete(CACHE_KEY)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(clear)


def clear() -> None:
    global _local
    _local = None
    cache.delete(CACHE_KEY)


def forget_on_change(sender, **kwargs) -> None:  # a Brand saved or deleted
    forget()
