"""Publishing events: the outbox rows of every subscribed endpoint, in the caller's transaction.

    from webhooks_out.events import publish, listening
    wanted = listening(EventType.MESSAGE_STATE_CHANGED, brand_ids)   # no query; {} mostly
    publish(EventType.MESSAGE_STATE_CHANGED, [(brand_id, data), ...])

`publish` writes one INSERT for the whole batch (one row per event and endpoint) and, once the
transaction commits, hands the new rows to the delivery task (a rolled-back event is never
announced; a lost task is picked up by the sweeper). Call it inside the transaction that
records the event.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from webhooks_out.models import EventType, WebhookDelivery
from webhooks_out.subscriptions import listeners

TASK_BATCH = 100


def listening(event_type: str, brand_ids: Iterable[int]) -> set[int]:
    """The brands among `brand_ids` whose account has an endpoint subscribed to `event_type`."""
    subscribed = listeners(event_type)
    if not subscribed:
        return set()
    return {brand_id for brand_id in brand_ids if brand_id in subscribed}


def anyone_listening(event_type: str) -> bool:
    return bool(listeners(event_type))


def event_body(event_id: uuid.UUID, event_type: str, created_at, data: dict) -> str:
    document = {"id": str(event_id), "type": event_type, "created_at": created_at, "data": data}
    return json.dumps(document, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


def publish(event_type: str, items: Sequence[tuple[int, dict]]) -> list[int]:
    """Outbox rows for each (brand id, data) whose brand has listeners; returns their ids."""
    assert event_type in EventType.values, event_type
    subscribed = listeners(event_type)
    if not subscribed:
        return []
    now = timezone.now()
    rows = []
    for brand_id, data in items:
        endpoints = subscribed.get(brand_id)
        if not endpoints:
            continue
        event_id = uuid.uuid4()
        body = event_body(event_id, event_type, now, data)
        rows.extend(
            WebhookDelivery(endpoint_id=endpoint_id, event_id=event_id, event_type=event_type, body=body,
                            created_at=now, next_attempt_at=now)
            for endpoint_id in endpoints
        )
    return enqueue(WebhookDelivery.objects.bulk_create(rows)) if rows else []


def enqueue(deliveries: Sequence[WebhookDelivery]) -> list[int]:
    ids = [delivery.pk for delivery in deliveries]

    def send() -> None:
        from webhooks_out.tasks import deliver_webhooks

        for start in range(0, len(ids), TASK_BATCH):
            deliver_webhooks.delay(ids[start : start + TASK_BATCH])

    transaction.on_commit(send)
    return ids
