"""When to ask a carrier again: pure rules over a shipment's state (no queries, no I/O).

- Not polled at all: pushed carriers and `manual` (next_poll_at null from the start).
- After a poll that worked: soon when out for delivery (~15 min), normally every ~2 h, and
  further apart the longer nothing has happened (a quarter of the quiet time, capped), so a
  parcel sitting still costs few calls. Stop on a terminal status or after 30 days of silence.
- After a carrier error: the regular interval doubled per error in a row (capped); a rate
  limit with `retry_after` is honoured to the second. An error never drops the schedule,
  except "not found" after 30 days of silence (a number the carrier will never know).
- The sandbox tells its whole story in advance: the poller passes its next step's time.

Intervals are settings (seconds), read at call time so tests and deployments can tune them:
TRACKING_POLL_INTERVAL_SECONDS (7200), TRACKING_POLL_OUT_FOR_DELIVERY_SECONDS (900),
TRACKING_POLL_MAX_INTERVAL_SECONDS (43200), TRACKING_POLL_GIVE_UP_DAYS (30).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from tracking.carriers import CarrierError
from tracking.carriers.registry import adapter_class
from tracking.statuses import TERMINAL, Status

if TYPE_CHECKING:
    from tracking.models import Shipment

MAX_ERROR_DOUBLINGS = 10  # 2**10 times the interval is far past any cap


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def regular_interval() -> timedelta:
    return timedelta(seconds=_setting("TRACKING_POLL_INTERVAL_SECONDS", 2 * 60 * 60))


def out_for_delivery_interval() -> timedelta:
    return timedelta(seconds=_setting("TRACKING_POLL_OUT_FOR_DELIVERY_SECONDS", 15 * 60))


def max_interval() -> timedelta:
    return timedelta(seconds=_setting("TRACKING_POLL_MAX_INTERVAL_SECONDS", 12 * 60 * 60))


def give_up_after() -> timedelta:
    return timedelta(days=_setting("TRACKING_POLL_GIVE_UP_DAYS", 30))


def is_polled(carrier: str) -> bool:
    return adapter_class(carrier).polled


def initial_next_poll(carrier: str, *, now: datetime) -> datetime | None:
    """A new shipment of a polled carrier is due at once; pushed and manual ones never are."""
    return now if is_polled(carrier) else None


def quiet_for(shipment: Shipment, *, now: datetime) -> timedelta:
    """Time since the newest event (or since the shipment was created, before any event)."""
    return now - (shipment.status_at or shipment.created_at or now)


def _interval(shipment: Shipment, *, now: datetime) -> timedelta:
    if shipment.status == Status.OUT_FOR_DELIVERY:
        base = out_for_delivery_interval()
        cap = min(base * 4, max_interval())  # the driver is out today: keep looking often
    else:
        base, cap = regular_interval(), max_interval()
    return min(max(base, quiet_for(shipment, now=now) / 4), cap)


def after_success(shipment: Shipment, *, now: datetime, next_step_at: datetime | None = None) -> datetime | None:
    """The next poll after an answer (with or without news); None stops polling."""
    if next_step_at is not None:
        return max(next_step_at, now)
    if shipment.status in TERMINAL:
        return None
    if quiet_for(shipment, now=now) > give_up_after():
        return None
    return now + _interval(shipment, now=now)


def after_error(shipment: Shipment, error: CarrierError, *, now: datetime) -> datetime | None:
    """The next poll after a carrier error; `shipment.poll_failures` already counts this one."""
    if error.kind == "rate_limited" and error.retry_after is not None:
        return now + timedelta(seconds=max(0, error.retry_after))
    if error.kind == "not_found" and quiet_for(shipment, now=now) > give_up_after():
        return None
    doublings = min(max(shipment.poll_failures, 1), MAX_ERROR_DOUBLINGS)
    return now + min(_interval(shipment, now=now) * 2**doublings, max_interval())
