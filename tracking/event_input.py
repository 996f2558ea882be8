"""Event input as tracking takes it: checked when a person or an integration sends it (every bad
field named at once, events from the future refused), cut to size when a carrier sends it (a
carrier's text is never refused), and a carrier's events from the future dropped."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tracking import clock
from tracking.carriers import CARRIER_CODES, CarrierEvent, UnknownCarrier
from tracking.carriers.registry import adapter_class
from tracking.models import normalise_tracking_number
from tracking.statuses import ALL_CODES

logger = logging.getLogger(__name__)

MAX_BULK_EVENTS = 1000
_EVENT_LIMITS = {"raw_code": 64, "description": 500, "location": 200}
_EXTERNAL_ID_MAX = 128
# A photo link as carriers hand them out (signed links run long); Meta takes header links this size.
PROOF_OF_DELIVERY_URL_MAX = 1000
PROOF_OF_DELIVERY_FIELD = "proof_of_delivery_url"
_HTTPS_ONLY = URLValidator(schemes=["https"])


@dataclass(frozen=True)
class EventInput:
    status: str
    occurred_at: datetime
    description: str = ""
    location: str = ""
    external_id: str = ""
    raw_code: str = ""
    # A link to the carrier's photo of the parcel at the door (or of the signature). Stored and
    # shown as a link: we never fetch it (a shopper's browser, Meta or a mail client does).
    proof_of_delivery_url: str = ""


def check_carrier(carrier: str) -> str:
    code = (carrier or "").strip().lower()
    try:
        adapter_class(code)
    except UnknownCarrier:
        raise ValidationError(
            {"carrier": [f"Unknown carrier '{carrier}'; use one of: {', '.join(CARRIER_CODES)}."]}
        ) from None
    return code



def check_proof_of_delivery_url(value) -> str:
    """An https link of at most PROOF_OF_DELIVERY_URL_MAX characters, or ''. Raises
    ValidationError naming the field. Only its form is checked: nothing is fetched."""
    if value is not None and not isinstance(value, str):
        raise ValidationError({PROOF_OF_DELIVERY_FIELD: ["Give the photo's link as a string."]})
    url = (value or "").strip()
    if not url:
        return ""
    if len(url) > PROOF_OF_DELIVERY_URL_MAX:
        raise ValidationError({PROOF_OF_DELIVERY_FIELD: [f"At most {PROOF_OF_DELIVERY_URL_MAX} characters."]})
    try:
        _HTTPS_ONLY(url)
    except ValidationError:
        raise ValidationError(
            {PROOF_OF_DELIVERY_FIELD: ["Give an https:// link to the photo, e.g. https://carrier.example/pod/123.jpg."]}
        ) from None
    return url


def carrier_proof_of_delivery_url(value) -> str:
    """A carrier's photo link as we store it: a link we would refuse from an integration is dropped
    (logged), never the event."""
    try:
        return check_proof_of_delivery_url(value)
    except ValidationError:
        logger.warning("carrier proof of delivery link dropped: %r", str(value)[:100])
        return ""


def _api_event_id(status: str, occurred_at: datetime, location: str, description: str) -> str:
    # Integrations that send no id: the same event sent twice gets the same id.
    key = "|".join((status, occurred_at.astimezone(dt_timezone.utc).isoformat(), location, description))
    return "api:" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def clean_event(
    *, status: str, occurred_at, description: str = "", location: str = "", external_id: str = "", raw_code: str = "",
    proof_of_delivery_url: str = "",
) -> EventInput:
    """One event checked: a known status, a time with a timezone, lengths. Raises one ValidationError
    naming every bad field."""
    errors: dict[str, list[str]] = {}
    if isinstance(occurred_at, str):
        try:
            occurred_at = parse_datetime(occurred_at.strip())
        except ValueError:
            occurred_at = None
    if status not in ALL_CODES:
        errors["status"] = [f"Unknown status '{status}'; use one of: {', '.join(ALL_CODES)}."]
    if not isinstance(occurred_at, datetime):
        errors["occurred_at"] = ["Give the time as an ISO 8601 date and time."]
    elif timezone.is_naive(occurred_at):
        errors["occurred_at"] = ["Give the time with a timezone, e.g. 2026-06-04T08:05:00+02:00 or ...Z."]
    elif clock.in_the_future(occurred_at):
        errors["occurred_at"] = [ValidationError(clock.future_message(occurred_at), code=clock.IN_THE_FUTURE)]
    if len(external_id or "") > _EXTERNAL_ID_MAX:
        errors["external_id"] = [f"At most {_EXTERNAL_ID_MAX} characters."]
    description, location = (description or "").strip(), (location or "").strip()
    for name, value in (("description", description), ("location", location), ("raw_code", raw_code or "")):
        if len(value) > _EVENT_LIMITS[name]:
            errors[name] = [f"At most {_EVENT_LIMITS[name]} characters."]
    try:
        proof_of_delivery_url = check_proof_of_delivery_url(proof_of_delivery_url)
    except ValidationError as exc:
        exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return EventInput(
        status=status,
        occurred_at=occurred_at,
        description=description,
        location=location,
        external_id=(external_id or "").strip() or _api_event_id(status, occurred_at, location, description),
        raw_code=raw_code or status,
        proof_of_delivery_url=proof_of_delivery_url,
    )


def event_from_carrier(event: CarrierEvent) -> EventInput:
    """A carrier's event as we store it: over-long carrier text is cut, never refused."""
    external_id = event.external_id
    if len(external_id) > _EXTERNAL_ID_MAX:
        external_id = "sha1:" + hashlib.sha1(external_id.encode("utf-8")).hexdigest()
    return EventInput(
        status=event.status,
        occurred_at=event.occurred_at,
        description=(event.raw_text or "")[: _EVENT_LIMITS["description"]],
        location=(event.location or "")[: _EVENT_LIMITS["location"]],
        external_id=external_id,
        raw_code=(event.raw_code or "")[: _EVENT_LIMITS["raw_code"]],
        proof_of_delivery_url=carrier_proof_of_delivery_url(event.proof_of_delivery_url),
    )



def believable(events: Mapping[int, Sequence[EventInput]]) -> Mapping[int, Sequence[EventInput]]:
    """A carrier's event from the future is dropped (the API refuses them before this point)."""
    limit = clock.latest_believable()
    if all(item.occurred_at <= limit for items in events.values() for item in items):
        return events
    for shipment_id, items in events.items():
        for item in items:
            if item.occurred_at > limit:
                logger.warning("shipment %s: event %s dated %s is in the future: dropped", shipment_id,
                               item.external_id, item.occurred_at.isoformat())
    return {shipment_id: [item for item in items if item.occurred_at <= limit] for shipment_id, items in events.items()}



def clean_bulk(items: Sequence[Mapping]) -> list[tuple[str, str, EventInput]]:
    """(carrier, tracking number, event) per item; any bad item refuses the whole list,
    naming its index: ValidationError({"3": ["occurred_at: ..."]})."""
    if len(items) > MAX_BULK_EVENTS:
        raise ValidationError({"non_field_errors": [f"At most {MAX_BULK_EVENTS} events per call; got {len(items)}."]})
    cleaned, errors = [], {}
    for index, item in enumerate(items):
        try:
            carrier = check_carrier(item.get("carrier", ""))
            number = normalise_tracking_number(item.get("tracking_number", ""))
            if not number:
                raise ValidationError({"tracking_number": ["This field is required."]})
            event_fields = ("status", "occurred_at", "description", "location", "external_id", PROOF_OF_DELIVERY_FIELD)
            cleaned.append((carrier, number, clean_event(**{k: item.get(k, "") for k in event_fields})))
        except ValidationError as exc:
            errors[str(index)] = [f"{name}: {msg}" for name, msgs in exc.message_dict.items() for msg in msgs]
    if errors:
        raise ValidationError(errors)
    return cleaned


