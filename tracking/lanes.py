"""How long each lane (carrier x destination country) usually goes between two carrier scans, and
the watch that every scan starts (DESIGN "Send decisions" rule 10; tracking/stalls.py acts on it).

The gap: the time from a carrier event that left a parcel in a watched status (the carrier has the
parcel and owes its next scan) to the parcel's next carrier event, over the last
TRACKING_LANE_WINDOW_DAYS (30). Parcelcast's own events are not scans; several events at the same
instant are one scan (no zero gaps). `refresh` stores each lane's 90th percentile in LaneStat,
a periodic task's job (percentile_cont on PostgreSQL, Python elsewhere): never worked out per
check. A lane with fewer than TRACKING_LANE_MIN_GAPS (50) gaps is not judged.

A parcel is overdue after max(TRACKING_STALL_FLOOR_SECONDS (24 h), TRACKING_STALL_FACTOR (2) x p90)
without a scan. The floor keeps a fast lane (scans every hour) from calling a quiet night a stall.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from tracking.models import LaneStat, Shipment, Source, TrackingEvent
from tracking.statuses import Status

# The carrier has the parcel and owes the next scan. Not watched: terminal statuses, waiting for
# the shopper (ready for pickup, a failed attempt) or the merchant (ready to ship), returns (the
# shopper's journey is over), and `delayed` (the carrier already said so, or we did).
WATCHED = frozenset({Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY})


def window() -> timedelta:
    return timedelta(days=int(getattr(settings, "TRACKING_LANE_WINDOW_DAYS", 30)))


def min_gaps() -> int:
    return int(getattr(settings, "TRACKING_LANE_MIN_GAPS", 50))


def floor() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "TRACKING_STALL_FLOOR_SECONDS", 24 * 60 * 60)))


def factor() -> float:
    return float(getattr(settings, "TRACKING_STALL_FACTOR", 2))


def stall_after(stat: LaneStat | None) -> timedelta | None:
    """How long a parcel of this lane may go without a scan; None: the lane is not judged."""
    if stat is None or stat.gaps < min_gaps():
        return None
    return max(floor(), timedelta(seconds=stat.p90_seconds * factor()))


def note_scans(
    shipments: Mapping[int, Shipment], newest: Mapping[int, TrackingEvent], *, source: str
) -> list[Shipment]:
    """Start the watch again for the shipments a carrier has just scanned (`newest`: each one's
    newest new event; call once their status has moved). The first look is one floor after the
    scan: a parcel that keeps moving never falls due. Returns the shipments changed, for the
    caller to save (`last_scan_at`, `stall_check_at`)."""
    if source == Source.PARCELCAST:
        return []
    noted, first_look = [], floor()
    for shipment_id, event in newest.items():
        shipment = shipments[shipment_id]
        if shipment.last_scan_at is not None and event.occurred_at <= shipment.last_scan_at:
            continue  # a late event: the parcel's newest scan stands
        shipment.last_scan_at = event.occurred_at
        shipment.stall_check_at = event.occurred_at + first_look if shipment.status in WATCHED else None
        noted.append(shipment)
    return noted


# --- learning ----------------------------------------------------------------------------------

_GAPS_SQL = """
WITH scans AS (
    SELECT s.carrier, s.to_country, e.status, e.occurred_at,
           LEAD(e.occurred_at) OVER (PARTITION BY e.shipment_id ORDER BY e.occurred_at, e.id) AS next_at
    FROM {events} e JOIN {shipments} s ON s.id = e.shipment_id
    WHERE e.occurred_at >= %(since)s AND e.source <> %(own)s
)
SELECT carrier, to_country, COUNT(*),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM next_at - occurred_at))
FROM scans
WHERE next_at > occurred_at AND status = ANY(%(watched)s) AND to_country <> ''
GROUP BY carrier, to_country
"""


def lane_gaps_sql(*, since: datetime) -> dict[tuple[str, str], tuple[int, float]]:
    """(carrier, country) -> (gaps, p90 in seconds), worked out by PostgreSQL."""
    sql = _GAPS_SQL.format(events=TrackingEvent._meta.db_table, shipments=Shipment._meta.db_table)
    with connection.cursor() as cursor:
        watched = sorted(status.value for status in WATCHED)
        cursor.execute(sql, {"since": since, "own": Source.PARCELCAST.value, "watched": watched})
        return {(carrier, country): (count, float(p90)) for carrier, country, count, p90 in cursor.fetchall()}


def lane_gaps_python(*, since: datetime) -> dict[tuple[str, str], tuple[int, float]]:
    """The same as `lane_gaps_sql`, for databases without percentile_cont (SQLite)."""
    events = (
        TrackingEvent.objects.filter(occurred_at__gte=since).exclude(source=Source.PARCELCAST)
        .order_by("shipment_id", "occurred_at", "id")
        .values_list("shipment_id", "shipment__carrier", "shipment__to_country", "status", "occurred_at")
    )
    gaps: dict[tuple[str, str], list[float]] = defaultdict(list)
    previous = None
    for row in events.iterator(chunk_size=5000):
        shipment_id, carrier, country, _, occurred_at = row
        if previous is not None and previous[0] == shipment_id and previous[3] in WATCHED and country:
            seconds = (occurred_at - previous[4]).total_seconds()
            if seconds > 0:
                gaps[(carrier, country)].append(seconds)
        previous = row
    return {lane: (len(values), p90(values)) for lane, values in gaps.items()}


def p90(values: Sequence[float]) -> float:
    """The 90th percentile with linear interpolation, as PostgreSQL's percentile_cont(0.9)."""
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def refresh(*, now: datetime) -> int:
    """Learn every lane again from the window's events; lanes without gaps in it are forgotten.
    Returns the number of lanes stored."""
    since = now - window()
    lanes = lane_gaps_sql(since=since) if connection.vendor == "postgresql" else lane_gaps_python(since=since)
    stats = [
        LaneStat(carrier=carrier, country=country, gaps=count, p90_seconds=round(seconds), computed_at=now)
        for (carrier, country), (count, seconds) in lanes.items()
    ]
    with transaction.atomic():
        LaneStat.objects.bulk_create(
            stats, update_conflicts=True, unique_fields=["carrier", "country"],
            update_fields=["gaps", "p90_seconds", "computed_at"],
        )
        LaneStat.objects.exclude(computed_at=now).delete()
    return len(stats)
