"""UPS Track API (one inquiry number per call, OAuth client-credentials bearer).

Token: `POST {base}/security/v1/oauth/token` (HTTP Basic client id/secret,
`grant_type=client_credentials`), cached on the adapter until shortly before it expires; a
401 on a tracking call refreshes it once. Tracking: `GET {base}/api/track/v1/details/{n}`;
activities under `trackResponse.shipment[].package[].activity[]` carry `status.type`
(D delivered, X exception, I in transit, P pickup, M manifest), `code` and `description`.
Our raw code is "<type>:<code>" (e.g. "I:OT") because the type decides most of the mapping.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import quote

import requests

from core.http import DEFAULT_TIMEOUT, http
from tracking.statuses import Status

from .base import (
    CarrierAdapter,
    CarrierError,
    CarrierEvent,
    FetchResult,
    TrackingQuery,
    error_from_exception,
    error_from_response,
    guarded,
    json_body,
    match_text,
    scanned_event,
)

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://onlinetools.ups.com"
CARRIER = "UPS"
TOKEN_MARGIN_SECONDS = 60  # refresh a little early so a token never expires mid-batch

# Not "at the UPS Access Point" alone: senders drop parcels off there too.
_PICKUP_PHRASES = ("awaiting customer pick", "ready for pick", "available for pick", "held for pick",
                   "for customer pick", "delivered to ups access point")
_RETURN_RULES = (
    (Status.DELAYED, ("returning to shipper", "returning to sender", "being returned", "will be returned")),
    (Status.RETURN_RECEIVED, ("returned to shipper", "returned to the shipper", "returned to sender")),
)
_FAILED_PHRASES = ("not available", "not home", "no one", "attempt", "could not be delivered",
                   "refused", "incorrect address", "business was closed")
_DELAY_PHRASES = ("delay", "weather", "rescheduled", "emergency")
_TYPE_STATUS = {
    "M": Status.READY_TO_SHIP,
    "P": Status.IN_TRANSIT,
    "I": Status.IN_TRANSIT,
    "D": Status.DELIVERED,
    "X": Status.DELAYED,
    "RS": Status.RETURN_RECEIVED,
}


def map_status(raw_code: str, raw_text: str) -> str | None:
    """UPS "<type>:<code>" + description -> our status (None: skip the event)."""
    kind = (raw_code or "").split(":", 1)[0].strip().upper()
    if kind not in _TYPE_STATUS:
        return None
    returned = match_text(raw_text, _RETURN_RULES)
    if returned:
        return returned
    if kind == "M":
        return Status.READY_TO_SHIP
    if match_text(raw_text, ((Status.READY_FOR_PICKUP, _PICKUP_PHRASES),)):
        # "Delivered to UPS Access Point - awaiting customer pickup" is not in the shopper's hands.
        return Status.READY_FOR_PICKUP
    if kind == "X":
        failed = match_text(raw_text, ((Status.DELIVERY_FAILED, _FAILED_PHRASES),))
        return failed or Status.DELAYED
    if kind == "I":
        if "out for delivery" in raw_text.lower():
            return Status.OUT_FOR_DELIVERY
        if match_text(raw_text, ((Status.DELAYED, _DELAY_PHRASES),)):
            return Status.DELAYED
    return _TYPE_STATUS[kind]


# --- pure request/answer mapping ------------------------------------------------------------


def build_request(query: TrackingQuery, *, base_url: str) -> tuple[str, dict[str, str]]:
    url = f"{base_url.rstrip('/')}/api/track/v1/details/{quote(query.tracking_number, safe='')}"
    return url, {"locale": "en_US", "returnSignature": "false"}


def _when(activity: Mapping[str, Any]) -> datetime | None:
    """gmtDate/gmtTime when both are given; else the local date/time, taken as UTC."""
    if activity.get("gmtDate") and activity.get("gmtTime"):
        day, clock = activity["gmtDate"], activity["gmtTime"]
    else:
        day, clock = activity.get("date"), activity.get("time")
    try:  # gmtTime comes as "HH:MM:SS", time as "HHMMSS"
        stamp = f"{day}{str(clock or '000000').replace(':', '')}"
        return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _location(activity: Mapping[str, Any]) -> str:
    address = (activity.get("location") or {}).get("address") or {}
    city = str(address.get("city") or "").strip()
    country = str(address.get("countryCode") or address.get("country") or "").strip()
    return ", ".join(p for p in (city, country) if p)


def _event(tracking_number: str, activity: Mapping[str, Any]) -> CarrierEvent | None:
    status = activity.get("status") or {}
    raw_code = f"{str(status.get('type') or '').strip()}:{str(status.get('code') or '').strip()}"
    raw_text = str(status.get("description") or "").strip()
    occurred_at = _when(activity)
    return scanned_event("UPS", tracking_number, occurred_at=occurred_at, raw_code=raw_code, raw_text=raw_text,
                         location=_location(activity), status=map_status(raw_code, raw_text))


def _expected(package: Mapping[str, Any]) -> date | None:
    # RDD (rescheduled) beats SDD (scheduled); DEL is the actual delivery day, not a promise.
    dates = {d.get("type"): d.get("date") for d in package.get("deliveryDate") or [] if isinstance(d, dict)}
    for kind in ("RDD", "SDD"):
        try:
            return datetime.strptime(str(dates[kind]), "%Y%m%d").date()
        except (KeyError, ValueError):
            continue
    return None


def parse_answer(tracking_number: str, payload: object) -> FetchResult:
    """A 200 answer -> events oldest first, deduplicated (raises CarrierError on a wrong shape)."""
    track = payload.get("trackResponse") if isinstance(payload, dict) else None
    shipments = track.get("shipment") if isinstance(track, dict) else None
    if not isinstance(shipments, list) or not all(isinstance(s, dict) for s in shipments):
        raise CarrierError("UPS answer has no trackResponse.shipment list", kind="bad_response")
    packages = [p for s in shipments for p in (s.get("package") or [])]
    if not packages:
        # UPS answers 200 with a warning (TW0001 "Tracking Information Not Found").
        warnings = [w.get("message", "") for s in shipments for w in s.get("warnings") or [] if isinstance(w, dict)]
        raise CarrierError(f"UPS has no package: {'; '.join(warnings) or 'empty answer'}", kind="not_found")
    events: dict[str, CarrierEvent] = {}
    expected: date | None = None
    for package in packages:
        activities = package.get("activity") if isinstance(package, dict) else None
        if not isinstance(activities, list):
            raise CarrierError("UPS package has no activity list", kind="bad_response")
        for activity in activities:
            event = _event(tracking_number, activity) if isinstance(activity, dict) else None
            if event is not None:
                events.setdefault(event.external_id, event)
        expected = expected or _expected(package)
    ordered = tuple(sorted(events.values(), key=lambda e: e.occurred_at))
    return FetchResult(tracking_number, ordered, expected_delivery=expected)


def _is_unknown_number(response: requests.Response) -> bool:
    # UPS answers 400 with TV* error codes for inquiry numbers it cannot read.
    try:
        errors = response.json()["response"]["errors"]
        return any(str(e.get("code", "")).startswith("TV") for e in errors)
    except (ValueError, KeyError, TypeError, AttributeError):
        return False


# --- thin I/O layer --------------------------------------------------------------------------


class UpsAdapter(CarrierAdapter):
    code = "ups"
    name = "UPS"
    polled = True
    pushes = False
    map_status = staticmethod(map_status)

    def __init__(self, client_id: str, client_secret: str, base_url: str = DEFAULT_BASE_URL,
                 session: requests.Session | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._session = session
        self._clock = clock
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._lock = threading.Lock()  # one token refresh at a time if threads share the adapter

    def fetch(self, queries: list[TrackingQuery], *, now: datetime) -> list[FetchResult]:
        if not queries:
            return []
        try:  # without a token no number can be asked: one error for the whole batch
            self._access_token(now)
        except (CarrierError, requests.RequestException) as exc:
            error = exc if isinstance(exc, CarrierError) else error_from_exception(exc, CARRIER)
            return [FetchResult(q.tracking_number, error=error) for q in queries]
        results: list[FetchResult] = []
        stop: CarrierError | None = None
        for query in queries:
            result = FetchResult(query.tracking_number, error=stop) if stop else self._fetch_one(query, now)
            if result.error is not None and result.error.kind in ("rate_limited", "auth"):
                stop = result.error  # every following call would fail the same way
            results.append(result)
        return results

    def _fetch_one(self, query: TrackingQuery, now: datetime) -> FetchResult:
        answer = guarded(CARRIER, query.tracking_number, lambda: self._request_one(query, now))
        return answer if isinstance(answer, FetchResult) else FetchResult(query.tracking_number, error=answer)

    def _request_one(self, query: TrackingQuery, now: datetime) -> FetchResult:
        response = self._get_details(query, now)
        if response.status_code == 401:  # token revoked or expired early: refresh once
            self._token = None
            response = self._get_details(query, now)
        if response.status_code == 400 and _is_unknown_number(response):
            raise CarrierError("UPS cannot read this inquiry number", kind="not_found")
        if response.status_code != 200:
            raise error_from_response(response, CARRIER, now)
        return parse_answer(query.tracking_number, json_body(response, CARRIER))

    def _get_details(self, query: TrackingQuery, now: datetime) -> requests.Response:
        url, params = build_request(query, base_url=self.base_url)
        headers = {
            "Authorization": f"Bearer {self._access_token(now)}",
            "transId": uuid.uuid4().hex,  # UPS wants a unique id per request (max 32 chars)
            "transactionSrc": "parcelcast",
            "Accept": "application/json",
        }
        return (self._session or http()).get(url, params=params, headers=headers, timeout=DEFAULT_TIMEOUT)

    def _access_token(self, now: datetime) -> str:
        with self._lock:
            if self._token and self._clock() < self._token_expires_at:
                return self._token
            if not (self.client_id and self.client_secret):
                raise CarrierError("UPS_CLIENT_ID / UPS_CLIENT_SECRET are not configured", kind="auth")
            response = (self._session or http()).post(
                f"{self.base_url}/security/v1/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
                headers={"Accept": "application/json"},
                timeout=DEFAULT_TIMEOUT,
            )
            if response.status_code != 200:
                raise error_from_response(response, f"{CARRIER} OAuth", now)
            body = json_body(response, CARRIER)
            try:
                token = str(body["access_token"])  # type: ignore[index]
                lifetime = int(body.get("expires_in", 0))  # type: ignore[union-attr]  # a string in UPS answers
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise CarrierError("UPS token answer has an unexpected shape", kind="bad_response") from exc
            self._token = token
            self._token_expires_at = self._clock() + max(0, lifetime - TOKEN_MARGIN_SECONDS)
            return token

    def public_tracking_url(self, tracking_number: str) -> str | None:
        return f"https://www.ups.com/track?loc=en_US&tracknum={quote(tracking_number)}"
