"""DHL Shipment Tracking - Unified API (one tracking number per call).

`GET {base}/track/shipments?trackingNumber=X` with header `DHL-API-Key`. The `statusCode`
is coarse (pre-transit, transit, delivered, failure, unknown); the detail we message on
(out for delivery, at a parcel shop, failed attempt...) is only in the free text, so the
mapper reads the text first and falls back on the code. Quotas are small: after a 429 or an
auth failure the remaining numbers of the batch are not asked, they get the same error.

Proof of delivery: a delivered shipment may carry `details.proofOfDelivery` with `documentUrl`
(the delivery photo, or the proof document) and `signatureUrl` (the recipient's signature
image). The photo wins, the signature stands in; the link goes on the shipment's newest
delivered event (tracking checks it is https and never fetches it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
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
    error_from_response,
    guarded,
    json_body,
    match_text,
    parse_iso_date,
    parse_iso_datetime,
    scanned_event,
)

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api-eu.dhl.com"
CARRIER = "DHL"

# Phrases are checked in priority order. "Posted by the sender at the Packstation" is a drop-off
# by the sender, so it must win over the pickup phrases.
_RETURN_RULES = (
    # Undeliverable and on its way back: an exception for the shopper, not a return yet.
    # Checked first because "will be returned to sender" contains "returned to sender".
    (Status.DELAYED, ("will be returned", "being returned", "on its way back", "return to sender",
                      "returning to sender")),
    (Status.RETURN_RECEIVED, ("returned to sender", "returned to the sender", "delivered back to the sender",
                              "return delivered", "return has been delivered")),
    (Status.RETURN_LABEL_CREATED, ("return label", "return shipment has been announced")),
    (Status.RETURN_DROPPED_OFF, ("return has been posted", "return dropped off", "return handed in")),
)
_PICKUP_PHRASES = ("ready for pick", "ready for collection", "available for pick", "for pick-up",
                   "for pickup", "for collection", "awaiting collection")
# A failed attempt or a delay can mention delivery ("delay in delivery"), so they come before
# the out-for-delivery phrases; a parcel waiting in a shop is not "delayed" even when "held".
_TEXT_RULES = (
    (Status.IN_TRANSIT, ("posted by the sender", "dropped off by the sender", "handed in by the sender")),
    (Status.DELIVERY_FAILED, ("failed attempt", "delivery attempt failed", "attempt unsuccessful",
                              "recipient not at home", "could not be delivered", "cannot be delivered",
                              "recipient was not", "refused")),
    (Status.READY_FOR_PICKUP, _PICKUP_PHRASES + ("parcel shop", "packstation", "parcel locker",
                                                 "pickup point", "pick-up point", "service point",
                                                 "servicepoint")),
    (Status.DELAYED, ("delay", "exception", "on hold", "held", "damaged", "investigation")),
    (Status.OUT_FOR_DELIVERY, ("out for delivery", "with delivery courier", "with the delivery courier",
                               "loaded onto the delivery vehicle", "in delivery")),
)
_CODE_STATUS = {
    "pre-transit": Status.READY_TO_SHIP,
    "transit": Status.IN_TRANSIT,
    "delivered": Status.DELIVERED,
}


def map_status(raw_code: str, raw_text: str) -> str | None:
    """DHL statusCode + status/description text -> our status (None: skip the event)."""
    code = (raw_code or "").strip().lower()
    returned = match_text(raw_text, _RETURN_RULES)
    if returned:
        return returned
    if code == "delivered":
        # Delivered *to* a Packstation/parcel shop is not in the shopper's hands yet.
        awaiting = match_text(raw_text, ((Status.READY_FOR_PICKUP, _PICKUP_PHRASES),))
        return awaiting or Status.DELIVERED
    by_text = match_text(raw_text, _TEXT_RULES)
    if code == "failure":
        return by_text if by_text == Status.DELIVERY_FAILED else Status.DELAYED
    return by_text or _CODE_STATUS.get(code)


# --- pure request/answer mapping ------------------------------------------------------------


def build_request(query: TrackingQuery, *, base_url: str) -> tuple[str, dict[str, str]]:
    params = {"trackingNumber": query.tracking_number, "language": "en"}
    if query.postal_code:
        params["recipientPostalCode"] = query.postal_code  # unlocks full detail for parcel-de
    return f"{base_url.rstrip('/')}/track/shipments", params


def _text(status: Mapping[str, Any]) -> str:
    parts = [str(status[k]).strip() for k in ("status", "description") if status.get(k)]
    if len(parts) == 2 and parts[0].lower() == parts[1].lower():
        parts = parts[:1]
    return " - ".join(parts)


def _location(status: Mapping[str, Any]) -> str:
    address = (status.get("location") or {}).get("address") or {}
    locality = str(address.get("addressLocality") or "").strip()
    country = str(address.get("countryCode") or "").strip()
    return ", ".join(p for p in (locality, country) if p)


def _event(tracking_number: str, status: Mapping[str, Any]) -> CarrierEvent | None:
    occurred_at = parse_iso_datetime(status.get("timestamp"))
    raw_code = str(status.get("statusCode") or "")
    raw_text = _text(status)
    return scanned_event("DHL", tracking_number, occurred_at=occurred_at, raw_code=raw_code, raw_text=raw_text,
                         location=_location(status), status=map_status(raw_code, raw_text))


def proof_of_delivery_url(shipment: Mapping[str, Any]) -> str:
    """The photo (else the signature) link of a shipment's `details.proofOfDelivery`, or ''."""
    details = shipment.get("details")
    proof = details.get("proofOfDelivery") if isinstance(details, dict) else None
    if not isinstance(proof, dict):
        return ""
    for key in ("documentUrl", "signatureUrl"):
        link = proof.get(key)
        if isinstance(link, str) and link.strip():
            return link.strip()
    return ""


def _with_proof(events: list[CarrierEvent], link: str) -> list[CarrierEvent]:
    """The shipment's newest delivered event carries the photo link."""
    delivered = [e for e in events if e.status == Status.DELIVERED]
    if not link or not delivered:
        return events
    newest = max(delivered, key=lambda e: e.occurred_at)
    return [replace(e, proof_of_delivery_url=link) if e is newest else e for e in events]


def parse_answer(tracking_number: str, payload: object) -> FetchResult:
    """A 200 answer -> events oldest first, deduplicated (raises CarrierError on a wrong shape)."""
    shipments = payload.get("shipments") if isinstance(payload, dict) else None
    if not isinstance(shipments, list) or not all(isinstance(s, dict) for s in shipments):
        raise CarrierError("DHL answer has no shipments list", kind="bad_response")
    if not shipments:
        raise CarrierError("DHL knows no shipment with this number", kind="not_found")
    events: dict[str, CarrierEvent] = {}
    expected: date | None = None
    for shipment in shipments:  # one number can match shipments of several DHL services
        raw_events = shipment.get("events") or []
        if not isinstance(raw_events, list):
            raise CarrierError("DHL events is not a list", kind="bad_response")
        current = shipment.get("status")
        found = [_event(tracking_number, raw) for raw in [*raw_events, *([current] if isinstance(current, dict) else [])]
                 if isinstance(raw, dict)]
        for event in _with_proof([e for e in found if e is not None], proof_of_delivery_url(shipment)):
            if event.external_id not in events or event.proof_of_delivery_url:
                events[event.external_id] = event
        expected = expected or parse_iso_date(shipment.get("estimatedTimeOfDelivery"))
    ordered = tuple(sorted(events.values(), key=lambda e: e.occurred_at))
    return FetchResult(tracking_number, ordered, expected_delivery=expected)


# --- thin I/O layer --------------------------------------------------------------------------


class DhlAdapter(CarrierAdapter):
    code = "dhl"
    name = "DHL"
    polled = True
    pushes = False
    map_status = staticmethod(map_status)

    def __init__(self, api_key: str, base_url: str = DEFAULT_BASE_URL,
                 session: requests.Session | None = None) -> None:
        self.api_key = api_key
        self.base_url = base_url or DEFAULT_BASE_URL
        self._session = session

    def fetch(self, queries: list[TrackingQuery], *, now: datetime) -> list[FetchResult]:
        results: list[FetchResult] = []
        stop: CarrierError | None = None
        for query in queries:
            if stop is None and not self.api_key:
                stop = CarrierError("DHL_API_KEY is not configured", kind="auth")
            result = FetchResult(query.tracking_number, error=stop) if stop else self._fetch_one(query, now)
            if result.error is not None and result.error.kind in ("rate_limited", "auth"):
                stop = result.error  # asking again would only burn quota
            results.append(result)
        return results

    def _fetch_one(self, query: TrackingQuery, now: datetime) -> FetchResult:
        answer = guarded(CARRIER, query.tracking_number, lambda: self._request_one(query, now))
        return answer if isinstance(answer, FetchResult) else FetchResult(query.tracking_number, error=answer)

    def _request_one(self, query: TrackingQuery, now: datetime) -> FetchResult:
        url, params = build_request(query, base_url=self.base_url)
        response = (self._session or http()).get(
            url, params=params, headers={"DHL-API-Key": self.api_key, "Accept": "application/json"},
            timeout=DEFAULT_TIMEOUT,
        )
        if response.status_code != 200:
            raise error_from_response(response, CARRIER, now)
        return parse_answer(query.tracking_number, json_body(response, CARRIER))

    def public_tracking_url(self, tracking_number: str) -> str | None:
        return ("https://www.dhl.com/global-en/home/tracking/tracking-parcel.html"
                f"?submit=1&tracking-id={quote(tracking_number)}")
