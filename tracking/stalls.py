"""Stuck parcels: one `delayed` event from Parcelcast itself when a parcel has gone much longer
without a carrier scan than its lane usually takes (DESIGN "Send decisions" rule 10).

Every carrier scan sets `last_scan_at` and a first look at `stall_check_at` (tracking/lanes.py
`note_scans`). The beat task takes the parcels whose look is due (partial index on
`stall_check_at`, SKIP LOCKED on PostgreSQL, in batches: its cost follows the parcels due, not
the parcels stored) and judges each one in the transaction that holds its lock:

- not in a watched status (terminal, waiting for the shopper or the merchant, already `delayed`)
  or silent for longer than polling gives a parcel (30 days: abandoned): the watch ends;
- its lane has too little history: look again a floor later (the lane may have learnt by then);
- not overdue yet (last scan + the lane's threshold): look again when it will be;
- a polled carrier not asked since then, or whose last answer was an error: look again after the
  next poll (silence we have not heard is no news, and a failing carrier is our trouble);
- otherwise one `delayed` event, source `parcelcast`, through the normal ingest (messaging plans
  its message as for any event), dated when the carrier was last heard saying nothing new, so
  a scan it reports later is newer and moves the parcel on. The watch ends: once per stall,
  until the next carrier scan starts it again. Its id names the stall, so a repeat is a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import connection, transaction

from tracking import lanes, presentation, schedule, services
from tracking.bulk import bulk_update_rows
from tracking.models import LaneStat, Shipment, Source
from tracking.statuses import Status

# After the next poll is due, give it this long to have happened before looking again.
POLL_SLACK = timedelta(minutes=5)


def batch_size() -> int:
    return int(getattr(settings, "TRACKING_STALL_BATCH_SIZE", 500))


def max_batches_per_run() -> int:
    return int(getattr(settings, "TRACKING_STALL_MAX_BATCHES_PER_RUN", 20))


@dataclass(frozen=True)
class Verdict:
    flag_at: datetime | None = None  # raise the `delayed` event, dated then
    look_again_at: datetime | None = None  # otherwise: the next look (None: the watch ends)


def _silent_until(shipment: Shipment, *, now: datetime) -> datetime | None:
    """Until when the carrier is known to have had nothing new. Pushed and manual carriers would
    have told us: until now. A polled one: its last poll, if that poll was answered."""
    if shipment.next_poll_at is None:
        return now
    return shipment.last_polled_at if shipment.poll_failures == 0 else None


def judge(shipment: Shipment, stat: LaneStat | None, *, now: datetime) -> Verdict:
    """What to do about one parcel whose look is due (pure: the caller passes its lane)."""
    if shipment.status not in lanes.WATCHED or shipment.last_scan_at is None:
        return Verdict()
    if now - shipment.last_scan_at > schedule.give_up_after():
        return Verdict()
    limit = lanes.stall_after(stat)
    if limit is None:
        return Verdict(look_again_at=now + lanes.floor())
    overdue_at = shipment.last_scan_at + limit
    if overdue_at > now:
        return Verdict(look_again_at=overdue_at)
    silent_until = _silent_until(shipment, now=now)
    if silent_until is None or silent_until < overdue_at:
        return Verdict(look_again_at=max(shipment.next_poll_at or now, now) + POLL_SLACK)
    return Verdict(flag_at=silent_until)


def due_queryset(*, now: datetime):
    """The pick-up query: it reads the partial index on stall_check_at, oldest look first."""
    return Shipment.objects.filter(stall_check_at__lte=now).order_by("stall_check_at")


def check_batch(*, now: datetime) -> int:
    """Take up to a batch of due parcels, judge them, raise the stalls. Returns the parcels taken."""
    with transaction.atomic():
        due = due_queryset(now=now)
        if connection.features.has_select_for_update_skip_locked:
            # Another checker's rows are skipped, not waited for; the lock keeps ingest off them.
            due = due.select_for_update(skip_locked=True, of=("self",))
        shipments = list(due[:batch_size()])
        if not shipments:
            return 0
        stats = {
            (stat.carrier, stat.country): stat
            for stat in LaneStat.objects.filter(
                carrier__in={s.carrier for s in shipments}, country__in={s.to_country.code for s in shipments}
            )
        }
        stalled = {}
        for shipment in shipments:
            verdict = judge(shipment, stats.get((shipment.carrier, shipment.to_country.code)), now=now)
            shipment.stall_check_at = verdict.look_again_at
            if verdict.flag_at is not None:
                stalled[shipment.pk] = [stall_event(shipment, at=verdict.flag_at)]
        if stalled:
            services.shipment_events_record(shipment_ids=list(stalled), events=stalled, source=Source.PARCELCAST)
        bulk_update_rows(shipments, ["stall_check_at"])
    return len(shipments)


def stall_event(shipment: Shipment, *, at: datetime) -> services.EventInput:
    since = shipment.last_scan_at
    text = presentation.no_scan_text(
        "en", carrier=presentation.shopper_carrier_name(shipment), since=since, zone=dt_timezone.utc
    )
    return services.EventInput(
        status=Status.DELAYED, occurred_at=at, description=text, raw_code="no_scan",
        external_id=f"parcelcast:no-scan-since:{since.astimezone(dt_timezone.utc).isoformat()}",
    )


def check_due(*, now: datetime) -> int:
    """The beat task's work: batches until nothing is due (or the run's cap). Returns the parcels taken."""
    taken = 0
    for _ in range(max_batches_per_run()):
        count = check_batch(now=now)
        taken += count
        if count < batch_size():
            break
    return taken
