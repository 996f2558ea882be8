"""AfterShip, the aggregator: one taxonomy over 1,000+ carriers, pushed to us by webhook.

Webhooks are signed: header `aftership-hmac-sha256` = base64(HMAC-SHA256(raw body, secret)).
The payload's `msg` is the tracking object; its `checkpoints[]` carry a `tag` (Pending,
InfoReceived, InTransit, OutForDelivery, AttemptFail, Delivered, AvailableForPickup,
Exception, Expired) and a finer `subtag` (e.g. "Exception_011", returned to sender), which is
our raw code. Not polled; `fetch` (GET {base}/tracking/2024-10/trackings) exists for an
on-demand refresh of numbers already registered with AfterShip.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import requests

from core.http import DEFAULT_TIMEOUT, http
from core.parsers import loads_provider_json
from tracking.statuses import Status

from .base import (
    CarrierAdapter,
    CarrierError,
    CarrierEvent,
    FetchResult,
    TrackingQuery,
    WebhookRejected,
    error_from_response,
    guarded,
    header,
    json_body,
    parse_iso_date,
    parse_iso_datetime,
    scanned_event,
)

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.aftership.com"
API_VERSION = "2024-10"
CARRIER = "AfterShip"
SIGNATURE_HEADER = "aftership-hmac-sha256"
BATCH_SIZE = 50  # tracking_numbers accepts a bounded comma-separated list

_TAG_STATUS = {
    "Pending": Status.READY_TO_SHIP,  # registered, no carrier scan yet
    "InfoReceived": Status.READY_TO_SHIP,
    "InTransit": Status.IN_TRANSIT,
    "OutForDelivery": Status.OUT_FOR_DELIVERY,
    "AttemptFail": Status.DELIVERY_FAILED,
    "Delivered": Status.DELIVERED,
    "AvailableForPickup": Status.READY_FOR_PICKUP,
    "Exception": Status.DELAYED,
    "Expired": Status.DELAYED,  # no news for weeks: the shopper should hear it is stuck
}
# Subtags that say more than their tag. Exception_010 (returning to sender) stays delayed.
_SUBTAG_STATUS = {"Exception_011": Status.RETURN_RECEIVED}  # returned to sender


def map_status(raw_code: str, raw_text: str) -> str | None:
    """AfterShip subtag (or bare tag) -> our status; the tag is the part before "_"."""
    code = (raw_code or "").strip()
    return _SUBTAG_STATUS.get(code) or _TAG_STATUS.get(code.split("_", 1)[0])


# --- pure mapping ----------------------------------------------------------------------------


def _location(checkpoint: Mapping[str, Any]) -> str:
    if checkpoint.get("location"):
        return str(checkpoint["location"]).strip()
    country = checkpoint.get("country_region") or checkpoint.get("country_iso3")
    parts = (checkpoint.get("city"), checkpoint.get("state"), country)
    return ", ".join(str(p).strip() for p in parts if p)


def _event(tracking_number: str, checkpoint: Mapping[str, Any]) -> CarrierEvent | None:
    raw_code = str(checkpoint.get("subtag") or checkpoint.get("tag") or "")
    raw_text = str(checkpoint.get("message") or checkpoint.get("subtag_message") or "").strip()
    occurred_at = parse_iso_datetime(checkpoint.get("checkpoint_time"))
    return scanned_event("AfterShip", tracking_number, occurred_at=occurred_at, raw_code=raw_code, raw_text=raw_text,
                         location=_location(checkpoint), status=map_status(raw_code, raw_text))


def _expected(tracking: Mapping[str, Any]) -> date | None:
    # Newest API versions nest the estimate; older ones have a flat expected_delivery.
    for key, field in (("latest_estimated_delivery", "datetime"),
                       ("courier_estimated_delivery_date", "estimated_delivery_date"),
                       ("aftership_estimated_delivery_date", "estimated_delivery_date")):
        nested = tracking.get(key)
        if isinstance(nested, dict) and parse_iso_date(nested.get(field)):
            return parse_iso_date(nested.get(field))
    return parse_iso_date(tracking.get("expected_delivery"))


def parse_tracking(tracking: object) -> FetchResult:
    """One AfterShip tracking object -> events oldest first (raises CarrierError on a wrong shape)."""
    number = tracking.get("tracking_number") if isinstance(tracking, dict) else None
    checkpoints = tracking.get("checkpoints", []) if isinstance(tracking, dict) else None
    if not isinstance(number, str) or not number or not isinstance(checkpoints, list):
        raise CarrierError("AfterShip tracking has no tracking_number/checkpoints", kind="bad_response")
    events: dict[str, CarrierEvent] = {}
    for checkpoint in checkpoints:
        event = _event(number, checkpoint) if isinstance(checkpoint, dict) else None
        if event is not None:
            events.setdefault(event.external_id, event)
    ordered = tuple(sorted(events.values(), key=lambda e: e.occurred_at))
    return FetchResult(number, ordered, expected_delivery=_expected(tracking))  # type: ignore[arg-type]


def signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def _rate_limit_wait(error: CarrierError, response: requests.Response, now: datetime) -> CarrierError:
    # AfterShip announces the end of the window as a unix time, not as Retry-After.
    reset = header(response.headers, "X-RateLimit-Reset")
    if error.kind != "rate_limited" or error.retry_after is not None or not (reset or "").isdigit():
        return error
    wait = max(0, int(reset) - int(now.timestamp()))  # type: ignore[arg-type]
    return CarrierError(error.message, kind="rate_limited", retry_after=wait)


# --- thin I/O layer --------------------------------------------------------------------------


class AfterShipAdapter(CarrierAdapter):
    code = "aftership"
    name = "AfterShip"
    polled = False
    pushes = True
    map_status = staticmethod(map_status)

    def __init__(self, api_key: str = "", webhook_secret: str = "", base_url: str = DEFAULT_BASE_URL,
                 session: requests.Session | None = None) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._session = session

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> list[CarrierEvent]:
        if not self.webhook_secret:
            raise WebhookRejected("AFTERSHIP_WEBHOOK_SECRET is not configured")
        given = (header(headers, SIGNATURE_HEADER) or "").strip()
        if not given or not hmac.compare_digest(given.encode("ascii", "replace"),
                                                signature(body, self.webhook_secret).encode("ascii")):
            raise WebhookRejected("bad or missing aftership-hmac-sha256 signature")
        try:
            payload = loads_provider_json(body)
            return list(parse_tracking(payload["msg"]).events)
        except (ValueError, KeyError, TypeError, CarrierError) as exc:
            raise WebhookRejected(f"unreadable AfterShip payload: {exc}") from exc

    def fetch(self, queries: list[TrackingQuery], *, now: datetime) -> list[FetchResult]:
        found: dict[str, FetchResult | CarrierError] = {}
        numbers = list(dict.fromkeys(q.tracking_number for q in queries))
        for start in range(0, len(numbers), BATCH_SIZE):
            batch = numbers[start:start + BATCH_SIZE]
            for number, outcome in self._fetch_batch(batch, now).items():
                found[number] = outcome
        results = []
        for query in queries:
            outcome = found.get(query.tracking_number) or CarrierError(
                "AfterShip has no tracking with this number", kind="not_found")
            results.append(outcome if isinstance(outcome, FetchResult)
                           else FetchResult(query.tracking_number, error=outcome))
        return results

    def _fetch_batch(self, numbers: list[str], now: datetime) -> dict[str, FetchResult | CarrierError]:
        """Per number: its result, or the error that hit the whole batch."""
        answer = guarded(CARRIER, f"{len(numbers)} numbers", lambda: self._request_batch(numbers, now))
        return answer if isinstance(answer, dict) else dict.fromkeys(numbers, answer)

    def _request_batch(self, numbers: list[str], now: datetime) -> dict[str, FetchResult | CarrierError]:
        if not self.api_key:
            raise CarrierError("AFTERSHIP_API_KEY is not configured", kind="auth")
        response = (self._session or http()).get(
            f"{self.base_url}/tracking/{API_VERSION}/trackings",
            params={"tracking_numbers": ",".join(numbers)},
            headers={"as-api-key": self.api_key, "Accept": "application/json"},
            timeout=DEFAULT_TIMEOUT,
        )
        if response.status_code != 200:
            raise _rate_limit_wait(error_from_response(response, CARRIER, now), response, now)
        body = json_body(response, CARRIER)
        data = body.get("data") if isinstance(body, dict) else None
        trackings = data.get("trackings") if isinstance(data, dict) else None
        if not isinstance(trackings, list):
            raise CarrierError("AfterShip answer has no data.trackings list", kind="bad_response")
        wanted = set(numbers)
        found: dict[str, FetchResult | CarrierError] = {}
        for tracking in trackings:
            result = parse_tracking(tracking)
            if result.tracking_number in wanted:
                found.setdefault(result.tracking_number, result)  # same number on two slugs: first wins
        return found
