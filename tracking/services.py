"""Writes of tracking: shipments and the events that move them. Everything else calls these.

Event ingest (`event_record`, `events_record_bulk`, `carrier_events_record`,
`shipment_events_record`) shares one path, `_apply`, which runs inside a transaction holding
the shipments' row locks (taken in pk order, so concurrent ingests never deadlock) and costs
a constant number of queries however many events come in:

1. the events already stored among the incoming (shipment, external_id) pairs (one query);
2. the new ones, in one `bulk_create` (the unique constraint stays the last word);
3. per shipment, the newest new event moves the status if it is strictly newer than
   `status_at`: late, equal-time and repeated events change nothing (one `bulk_update`);
4. per shipment whose status really changed, a status entry (one INSERT for all): the durable
   record of what messaging has still to plan (tracking.status_entries);
5. one `shipment_status_changed` per shipment whose status really changed, after commit, and
   `status_entries_pending` with the new entries and the unplanned ones of replayed events;
   the `shipment.status_changed` webhooks' outbox rows, in the transaction (none without listeners).
A carrier's events (any source but Parcelcast's own) also restart the stuck-parcel watch
(tracking/lanes.py `note_scans`), saved in step 3's statement.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from brands.models import Account, Brand, Language
from tracking import lanes, schedule
from tracking.bulk import bulk_update_rows, insert_rows
from tracking.carriers import CarrierEvent
from tracking.event_input import (  # noqa: F401 - part of this module's interface
    MAX_BULK_EVENTS,
    EventInput,
    believable,
    check_carrier,
    clean_bulk,
    clean_event,
    event_from_carrier,
)
from tracking.models import Shipment, Source, TrackingEvent, normalise_tracking_number
from tracking.signals import StatusChange, announce_on_commit
from tracking.status_entries import status_entries_record
from tracking.statuses import Status
from tracking.webhook_events import status_changes_publish

logger = logging.getLogger(__name__)

T = TypeVar("T")

@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    unknown: list[str] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)


# --- shipments -------------------------------------------------------------------------------


NO_SUCH_BRAND = "No brand with this id in your account."


def _account_brand(account: Account, brand) -> Brand:
    """The account's own brand; another account's brand is refused exactly like a missing one."""
    pk = brand.pk if isinstance(brand, Brand) else brand
    try:
        found = Brand.objects.for_account(account).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationError({"brand": [NO_SUCH_BRAND]})
    return found


def _collect(errors: dict[str, list], check: Callable[..., T], *args, **kwargs) -> T | None:
    """What `check` returns; or None, with the messages of the ValidationError it raised added to
    `errors`, so that independent checks all run and one refusal names every bad field."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        exc.update_error_dict(errors)
        return None


def shipment_create(
    *,
    account: Account,
    brand,
    carrier: str,
    tracking_number: str,
    carrier_name: str = "",
    order_number: str = "",
    recipient_name: str = "",
    recipient_phone: str = "",
    recipient_email: str = "",
    language: str | None = None,
    to_country: str = "",
    to_postal_code: str = "",
    expected_delivery: date | None = None,
    cash_on_delivery_amount: Decimal | None = None,
    cash_on_delivery_currency: str = "EUR",
) -> tuple[Shipment, bool]:
    """A shipment of one of the account's brands. Idempotent on (brand, carrier, tracking number):
    returns (shipment, created); an existing one is returned unchanged. A refusal names every bad
    field at once."""
    errors: dict[str, list] = {}
    brand = _collect(errors, _account_brand, account, brand)
    carrier = _collect(errors, check_carrier, carrier)
    number = normalise_tracking_number(tracking_number)
    existing = Shipment.objects.for_account(account).filter(brand=brand, carrier=carrier, tracking_number=number)
    if not errors and (found := existing.first()) is not None:
        return found, False
    shipment = Shipment(
        brand=brand,
        carrier=carrier,
        tracking_number=number,
        carrier_name=(carrier_name or "").strip(),
        order_number=(order_number or "").strip(),
        recipient_name=(recipient_name or "").strip(),
        recipient_phone=(recipient_phone or "").strip(),
        recipient_email=(recipient_email or "").strip(),
        # Without a brand nothing is saved: any valid language lets full_clean check the other fields.
        language=language or (brand.default_language if brand else Language.EN),
        to_country=(to_country or "").strip().upper(),
        to_postal_code=(to_postal_code or "").strip().upper(),
        expected_delivery=expected_delivery,
        cash_on_delivery_amount=cash_on_delivery_amount,
        cash_on_delivery_currency=(cash_on_delivery_currency or "EUR").strip().upper(),
        next_poll_at=schedule.initial_next_poll(carrier, now=timezone.now()) if carrier else None,
    )
    # Brand and carrier were checked above; uniqueness is the constraint's job below (a concurrent
    # twin may win the race).
    _collect(errors, shipment.full_clean, exclude=["brand", "carrier"], validate_unique=False,
             validate_constraints=False)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            shipment.save()
    except IntegrityError:
        if (found := existing.first()) is not None:
            return found, False
        raise
    return shipment, True


# --- events ----------------------------------------------------------------------------------


EVENT_FIELDS = ("shipment_id", "status", "raw_code", "description", "occurred_at", "location", "external_id", "source",
                "proof_of_delivery_url")


def _locked(queryset) -> list[Shipment]:
    # of=self: lock the shipments only, not the brands joined in for tenant scoping.
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def _apply(
    shipments: Iterable[Shipment], events: Mapping[int, Sequence[EventInput]], *, source: str, unknown=()
) -> IngestResult:
    """Store new events and move statuses. Call inside a transaction holding the rows' locks;
    the given Shipment objects are updated in place."""
    by_id = {s.pk: s for s in shipments}
    result = IngestResult(unknown=list(unknown))
    events = believable(events)
    candidates: dict[tuple[int, str], TrackingEvent] = {}
    for shipment_id, items in events.items():
        for item in items:
            key = (shipment_id, item.external_id)
            if key in candidates:
                result.duplicates += 1
                continue
            candidates[key] = TrackingEvent(
                shipment_id=shipment_id, status=item.status, raw_code=item.raw_code, description=item.description,
                occurred_at=item.occurred_at, location=item.location, external_id=item.external_id, source=source,
                proof_of_delivery_url=item.proof_of_delivery_url,
            )
    if not candidates:
        return result
    stored, replayed, late_proofs = set(), [], []
    for pk, shipment_id, external_id, entry_id, planned_at, proof in TrackingEvent.objects.filter(
        shipment_id__in={k[0] for k in candidates}, external_id__in={k[1] for k in candidates}
    ).values_list("pk", "shipment_id", "external_id", "status_entry__pk", "status_entry__planned_at",
                  "proof_of_delivery_url"):
        stored.add((shipment_id, external_id))
        # A replayed event whose status entry was never planned (its task lost): plan it now.
        if entry_id is not None and planned_at is None and (shipment_id, external_id) in candidates:
            replayed.append(entry_id)
        # Carriers add the delivery photo to an event they reported before: the event keeps its id
        # (a repeat), the photo is taken.
        given = candidates.get((shipment_id, external_id))
        if given is not None and given.proof_of_delivery_url and given.proof_of_delivery_url != proof:
            given.pk = pk
            late_proofs.append(given)
    if late_proofs:
        bulk_update_rows(late_proofs, ["proof_of_delivery_url"])
    new = [event for key, event in candidates.items() if key not in stored]
    result.duplicates += len(candidates) - len(new)
    result.accepted = len(new)
    # One statement stores them (COPY for a large batch) and names the ids of the rows it inserted.
    inserted = insert_rows(
        TrackingEvent, EVENT_FIELDS, [tuple(getattr(event, name) for name in EVENT_FIELDS) for event in new],
        ignore_conflicts=True, returning=("id", "shipment_id", "external_id"),
    )
    ids = {(shipment_id, external_id): pk for pk, shipment_id, external_id in inserted}

    newest: dict[int, TrackingEvent] = {}
    for event in new:  # equal times: the first one given wins, later ties are ignored
        best = newest.get(event.shipment_id)
        if best is None or event.occurred_at > best.occurred_at:
            newest[event.shipment_id] = event
    moved, changed = [], []
    for shipment_id, event in newest.items():
        shipment = by_id[shipment_id]
        if shipment.status_at is not None and event.occurred_at <= shipment.status_at:
            continue  # late or same-time: the current status stands
        previous = shipment.status
        shipment.status, shipment.status_at = event.status, event.occurred_at
        if event.status == Status.READY_FOR_PICKUP and event.location:
            shipment.pickup_point = event.location
        moved.append(shipment)
        if event.status != previous:
            changed.append((shipment, previous, event))
    # A carrier scan (re)starts the stuck-parcel watch; saved with the status in one statement.
    touched = {s.pk: s for s in moved} | {s.pk: s for s in lanes.note_scans(by_id, newest, source=source)}
    touched |= {s.pk: s for s in _note_proofs(by_id, [*new, *late_proofs])}
    if touched:
        bulk_update_rows(
            list(touched.values()),
            ["status", "status_at", "pickup_point", "last_scan_at", "stall_check_at", "proof_of_delivery_url"],
        )
    if changed:
        lost = [(s, e) for s, _, e in changed if (s.pk, e.external_id) not in ids]
        if lost:  # a concurrent writer inserted the same event first: its row is the one that counts
            ids.update(
                ((sid, ext), pk)
                for pk, sid, ext in TrackingEvent.objects.filter(
                    shipment_id__in=[s.pk for s, _ in lost], external_id__in=[e.external_id for _, e in lost]
                ).values_list("pk", "shipment_id", "external_id")
            )
        for shipment, previous, event in changed:
            result.changes.append(
                StatusChange(shipment.pk, event.status, previous, ids[(shipment.pk, event.external_id)], event.source))
    # Each entry into a status is recorded with its event, in this transaction: what is still to
    # be planned survives whatever happens to the task told about it (tracking.status_entries).
    entry_ids = status_entries_record([(c.shipment_id, c.status, c.event_id) for c in result.changes])
    # Integrations hear it from an outbox row written here, in the same transaction.
    status_changes_publish(by_id, result.changes)
    announce_on_commit(result.changes, entry_ids + replayed)
    return result


def _note_proofs(by_id: Mapping[int, Shipment], new: Sequence[TrackingEvent]) -> list[Shipment]:
    """Shipments whose new events bring a delivery photo: the newest one's link goes on the shipment
    (the message and the tracking page read it there). In place; the caller saves them."""
    newest: dict[int, TrackingEvent] = {}
    for event in new:
        if event.proof_of_delivery_url:
            best = newest.get(event.shipment_id)
            if best is None or event.occurred_at > best.occurred_at:
                newest[event.shipment_id] = event
    changed = []
    for shipment_id, event in newest.items():
        shipment = by_id[shipment_id]
        if shipment.proof_of_delivery_url != event.proof_of_delivery_url:
            shipment.proof_of_delivery_url = event.proof_of_delivery_url
            changed.append(shipment)
    return changed


def event_record(*, shipment: Shipment, source: str = Source.API, **fields) -> tuple[TrackingEvent, bool]:
    """One event of a shipment (fields as `clean_event`). Returns (event, created); a repeat
    returns the stored event. The shipment object is refreshed with the resulting status."""
    item = clean_event(**fields)
    with transaction.atomic():
        rows = _locked(Shipment.objects.filter(pk=shipment.pk))
        if not rows:
            raise Shipment.DoesNotExist("The shipment no longer exists.")
        result = _apply(rows, {shipment.pk: [item]}, source=source)
        event = TrackingEvent.objects.get(shipment_id=shipment.pk, external_id=item.external_id)
    shipment.status, shipment.status_at = rows[0].status, rows[0].status_at
    return event, result.accepted == 1


def events_record_bulk(*, account: Account, items: Sequence[Mapping]) -> IngestResult:
    """Events of the account's shipments, found by (carrier, tracking number). Numbers that are
    not the account's (another account's included) come back in `unknown`, untouched."""
    cleaned = clean_bulk(items)
    with transaction.atomic():
        shipments = _locked(
            Shipment.objects.for_account(account).filter(
                carrier__in={c for c, _, _ in cleaned}, tracking_number__in={n for _, n, _ in cleaned}
            )
        )
        events, unknown = _match(shipments, cleaned)
        return _apply(shipments, events, source=Source.API, unknown=unknown)


def carrier_events_record(
    *, carrier: str, events: Sequence[CarrierEvent], source: str = Source.WEBHOOK
) -> IngestResult:
    """A carrier's events (a webhook). The carrier is the authority on its numbers, so they are
    matched across all accounts; numbers nobody tracks are reported in `unknown`."""
    items = [(carrier, normalise_tracking_number(e.tracking_number), event_from_carrier(e)) for e in events]
    with transaction.atomic():
        # Deliberately not account-scoped: no tenant acts here, the carrier does.
        shipments = _locked(Shipment.objects.filter(carrier=carrier, tracking_number__in={n for _, n, _ in items}))
        events, unknown = _match(shipments, items)
        return _apply(shipments, events, source=source, unknown=unknown)


def _match(shipments: list[Shipment], items: list[tuple[str, str, EventInput]]):
    """Group events by shipment (a number used by several brands feeds each); collect unknowns."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for shipment in shipments:
        by_key[(shipment.carrier, shipment.tracking_number)].append(shipment.pk)
    events: dict[int, list[EventInput]] = defaultdict(list)
    unknown: dict[str, None] = {}
    for carrier, number, item in items:
        for shipment_id in by_key.get((carrier, number), ()):
            events[shipment_id].append(item)
        if (carrier, number) not in by_key:
            unknown[number] = None
    return events, list(unknown)


def shipment_events_record(
    *, shipment_ids: Sequence[int], events: Mapping[int, Sequence[EventInput]], source: str = Source.POLL
) -> tuple[IngestResult, list[Shipment]]:
    """Events of known shipments (the poller). Returns the locked rows, updated: call inside the
    caller's transaction to keep the locks while it writes the rest (the schedule)."""
    with transaction.atomic():
        shipments = _locked(Shipment.objects.filter(pk__in=list(shipment_ids)))
        return _apply(shipments, events, source=source), shipments
