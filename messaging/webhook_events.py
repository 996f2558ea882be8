"""What messaging tells integrations (webhooks_out): message states, shopper requests, ratings.

Every function here runs inside the transaction that records the change and costs nothing when
no endpoint listens (webhooks_out.subscriptions caches who does). Payloads name ids and states,
never the shopper's address or phone number.
"""

from __future__ import annotations

from collections.abc import Iterable

from webhooks_out.events import listening, publish
from webhooks_out.models import EventType

STATE_CHANGED = EventType.MESSAGE_STATE_CHANGED


def message_data(*, pk, shipment_id, brand_id, channel, trigger_status, state, error_code="") -> dict:
    return {"message": pk, "shipment": shipment_id, "brand": brand_id, "channel": channel,
            "trigger_status": trigger_status, "state": state, "error_code": error_code or None}


def message_states_publish(messages: Iterable) -> int:
    """message.state_changed for these Message objects (their state as now stored): one INSERT."""
    messages = list(messages)
    wanted = listening(STATE_CHANGED, {m.brand_id for m in messages})
    if not wanted:
        return 0
    return len(publish(STATE_CHANGED, [
        (m.brand_id, message_data(pk=m.pk, shipment_id=m.shipment_id, brand_id=m.brand_id, channel=m.channel,
                                  trigger_status=m.trigger_status, state=m.state, error_code=m.error_code))
        for m in messages if m.brand_id in wanted
    ]))


def message_rows_publish(rows: Iterable[dict], state: str, error_code: str = "") -> int:
    """The same for rows read as dicts (pk, brand_id, shipment_id, channel, trigger_status)."""
    rows = list(rows)
    wanted = listening(STATE_CHANGED, {row["brand_id"] for row in rows})
    if not wanted:
        return 0
    return len(publish(STATE_CHANGED, [
        (row["brand_id"], message_data(**row, state=state, error_code=error_code))
        for row in rows if row["brand_id"] in wanted
    ]))


def shopper_request_data(request) -> dict:
    shipment = request.shipment
    return {"id": request.pk, "kind": request.kind, "state": request.state, "details": request.details,
            "brand": request.brand_id, "created_at": request.created_at,
            "shipment": {"id": shipment.pk, "carrier": shipment.carrier, "tracking_number": shipment.tracking_number,
                         "order_number": shipment.order_number}}


def rating_data(rating) -> dict:
    shipment = rating.shipment
    return {"id": rating.pk, "score": rating.score, "comment": rating.comment, "carrier": rating.carrier,
            "brand": rating.brand_id, "created_at": rating.created_at,
            "shipment": {"id": shipment.pk, "tracking_number": shipment.tracking_number,
                         "order_number": shipment.order_number}}


def shopper_request_publish(request) -> None:
    publish(EventType.SHOPPER_REQUEST_CREATED, [(request.brand_id, shopper_request_data(request))])


def rating_publish(rating) -> None:
    publish(EventType.FEEDBACK_CREATED, [(rating.brand_id, rating_data(rating))])
