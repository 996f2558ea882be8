"""The carrier interface: what every adapter takes, returns and raises.

An adapter turns a carrier's answer (a poll or a pushed webhook) into normalised
`CarrierEvent`s. Parsing is pure; only a thin layer in each adapter does HTTP, through
`core.http.http()`. `fetch` never raises: a failure comes back as a `FetchResult` carrying
a `CarrierError`, so the poller can reschedule every shipment it claimed.
"""

from __future__ import annotations

import hashlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import ClassVar, TypeVar

import requests

logger = logging.getLogger(__name__)
T = TypeVar("T")

ERROR_KINDS = frozenset({"rate_limited", "not_found", "auth", "unavailable", "bad_response"})


class CarrierError(Exception):
    """A carrier call that gave no usable answer. `kind` tells the poller what to do next."""

    def __init__(self, message: str, *, kind: str, retry_after: int | None = None) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown carrier error kind {kind!r}")
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Worth trying again later without anyone changing anything."""
        return self.kind in ("rate_limited", "unavailable")

    def __repr__(self) -> str:
        return f"CarrierError({self.message!r}, kind={self.kind!r}, retry_after={self.retry_after!r})"


class WebhookRejected(Exception):
    """A pushed payload that must not be stored: bad signature, no secret, or unreadable body."""


@dataclass(frozen=True)
class TrackingQuery:
    tracking_number: str
    started_at: datetime
    destination_country: str = ""
    postal_code: str = ""


@dataclass(frozen=True)
class CarrierEvent:
    tracking_number: str
    status: str  # a tracking.statuses.Status code
    occurred_at: datetime  # aware, UTC
    raw_code: str
    raw_text: str
    location: str
    external_id: str
    # The carrier's photo (or signature image) of the delivery, when it reports one: a link only,
    # checked and stored by tracking (never fetched by us).
    proof_of_delivery_url: str = ""


@dataclass(frozen=True)
class FetchResult:
    tracking_number: str
    events: tuple[CarrierEvent, ...] = ()
    expected_delivery: date | None = None
    error: CarrierError | None = None


class CarrierAdapter(ABC):
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    polled: ClassVar[bool] = True
    pushes: ClassVar[bool] = False

    @abstractmethod
    def fetch(self, queries: list[TrackingQuery], *, now: datetime) -> list[FetchResult]:
        """One result per query, in the same order; failures are results with `error`."""

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> list[CarrierEvent]:
        raise WebhookRejected("this carrier does not push")

    def public_tracking_url(self, tracking_number: str) -> str | None:
        return None

    @staticmethod
    @abstractmethod
    def map_status(raw_code: str, raw_text: str) -> str | None:
        """The normalised status of one carrier event, or None when it says nothing we use."""


# --- small helpers shared by the adapters -------------------------------------------------


def stable_event_id(tracking_number: str, occurred_at: datetime, raw_code: str, raw_text: str) -> str:
    """For carriers without event ids: the same scan replayed gets the same id."""
    key = "|".join((tracking_number, as_utc(occurred_at).isoformat(), raw_code, raw_text))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def scanned_event(
    carrier: str, tracking_number: str, *, occurred_at: datetime | None, raw_code: str, raw_text: str,
    location: str, status: str | None,
) -> CarrierEvent | None:
    """A carrier scan as our event, or None (logged) when it has no time or no status we know:
    one odd scan is skipped, never the whole answer."""
    if occurred_at is None or status is None:
        logger.info("%s event skipped for %s: %s %r", carrier, tracking_number, raw_code, raw_text)
        return None
    return CarrierEvent(
        tracking_number=tracking_number,
        status=status,
        occurred_at=occurred_at,
        raw_code=raw_code,
        raw_text=raw_text,
        location=location,
        external_id=stable_event_id(tracking_number, occurred_at, raw_code, raw_text),
    )


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC (carriers that omit the offset mostly mean it)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def parse_iso_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return as_utc(datetime.fromisoformat(value.strip()))
    except ValueError:
        return None


def parse_iso_date(value: object) -> date | None:
    """A date from 'YYYY-MM-DD' or a full timestamp (its calendar day as written)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def match_text(text: str, rules: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """First status whose phrases occur in `text` (case-insensitive); order the rules by priority."""
    lowered = text.lower()
    for status, phrases in rules:
        if any(phrase in lowered for phrase in phrases):
            return status
    return None


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup that also works on a plain dict."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def parse_retry_after(value: str | None, now: datetime) -> int | None:
    """Retry-After as delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int((as_utc(when) - as_utc(now)).total_seconds()))


def error_from_response(response: requests.Response, carrier: str, now: datetime) -> CarrierError:
    """Classify a non-2xx answer the same way for every carrier."""
    status = response.status_code
    detail = f"{carrier} answered HTTP {status}: {_short_body(response)}"
    if status in (401, 403):
        return CarrierError(detail, kind="auth")
    if status == 404:
        return CarrierError(detail, kind="not_found")
    if status == 429:
        retry_after = parse_retry_after(header(response.headers, "Retry-After"), now)
        return CarrierError(detail, kind="rate_limited", retry_after=retry_after)
    if status >= 500:
        return CarrierError(detail, kind="unavailable")
    return CarrierError(detail, kind="bad_response")


def error_from_exception(exc: requests.RequestException, carrier: str) -> CarrierError:
    """Timeouts and connection failures: the carrier is unreachable for now."""
    return CarrierError(f"{carrier} unreachable: {type(exc).__name__}", kind="unavailable")


def json_body(response: requests.Response, carrier: str) -> object:
    try:
        return response.json()
    except ValueError as exc:  # requests' JSONDecodeError is a ValueError
        raise CarrierError(f"{carrier} sent a body that is not JSON", kind="bad_response") from exc


def _short_body(response: requests.Response) -> str:
    # Problem JSON carries a readable title/detail; otherwise a bounded slice of the text.
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        if isinstance(body.get("meta"), dict):  # AfterShip wraps its error in "meta"
            body = body["meta"]
        parts = [str(body[k]) for k in ("title", "detail", "message") if body.get(k)]
        if parts:
            return " - ".join(parts)[:200]
    return str(body)[:200]


def guarded(carrier: str, what: str, call: Callable[[], T]) -> T | CarrierError:
    """`call()` (one request to a carrier and the parsing of its answer), with whatever goes wrong
    coming back as a CarrierError: the carrier's own errors as they are, transport errors
    classified, and anything else (a parser bug) logged as a bad answer. The poller never crashes
    on one carrier's answer and never loses the shipment: it reschedules it."""
    try:
        return call()
    except CarrierError as error:
        return error
    except requests.RequestException as exc:
        return error_from_exception(exc, carrier)
    except Exception:  # a parser bug must not crash the poller or lose the shipment
        logger.exception("%s answer for %s could not be parsed", carrier, what)
        return CarrierError(f"{carrier} answer could not be parsed", kind="bad_response")
