"""Lane statistics (how long a carrier x country usually goes between scans) and the watch a scan starts."""

from datetime import timedelta

import pytest

from tests.conftest import require_postgres
from tests.factories import ShipmentFactory, TrackingEventFactory
from tests.tracking.conftest import T0
from tracking import lanes
from tracking.models import LaneStat, Source
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

NOW = T0 + timedelta(days=25)
START = NOW - timedelta(days=28)  # inside the 30-day window


def history(brand, *, carrier="dhl", country="DE", gaps, per_parcel=25, status=Status.IN_TRANSIT):
    """Parcels whose consecutive carrier scans are `gaps` apart (per_parcel gaps each)."""
    for first in range(0, len(gaps), per_parcel):
        shipment = ShipmentFactory(brand=brand, carrier=carrier, to_country=country)
        at = START
        TrackingEventFactory(shipment=shipment, status=status, occurred_at=at, source=Source.POLL)
        for gap in gaps[first:first + per_parcel]:
            at += gap
            TrackingEventFactory(shipment=shipment, status=status, occurred_at=at, source=Source.POLL)


def minutes(*values):
    return [timedelta(minutes=value) for value in values]


def stat(carrier="dhl", country="DE"):
    return LaneStat.objects.get(carrier=carrier, country=country)


def test_each_lane_learns_the_90th_percentile_of_the_gaps_between_scans(brand):
    history(brand, country="DE", gaps=minutes(*(6 * i for i in range(1, 101))))
    history(brand, country="FR", gaps=minutes(*([60] * 60)))

    assert lanes.refresh(now=NOW) == 2

    # percentile_cont(0.9) of 6, 12, ... 600 minutes: 6 x (1 + 0.9 x 99) = 540.6 minutes
    assert (stat(country="DE").gaps, stat(country="DE").p90_seconds) == (100, 32436)
    assert (stat(country="FR").gaps, stat(country="FR").p90_seconds) == (60, 3600)


def test_a_lane_is_judged_at_twice_its_p90_but_never_under_the_floor(settings):
    slow = LaneStat(carrier="dhl", country="ES", gaps=80, p90_seconds=20 * 3600)
    fast = LaneStat(carrier="dhl", country="NL", gaps=80, p90_seconds=3600)

    assert lanes.stall_after(slow) == timedelta(hours=40)
    assert lanes.stall_after(fast) == timedelta(hours=24)  # a quiet night is not a stall
    settings.TRACKING_STALL_FLOOR_SECONDS = 6 * 3600
    assert lanes.stall_after(fast) == timedelta(hours=6)


def test_a_lane_with_fewer_gaps_than_the_minimum_is_not_judged(brand):
    history(brand, country="DE", gaps=minutes(*([90] * 49)))
    history(brand, country="AT", gaps=minutes(*([90] * 50)))

    lanes.refresh(now=NOW)

    assert stat(country="DE").gaps == 49 and lanes.stall_after(stat(country="DE")) is None
    assert lanes.stall_after(stat(country="AT")) == timedelta(hours=24)
    assert lanes.stall_after(None) is None  # a lane never seen


def test_only_gaps_after_a_watched_scan_inside_the_window_count(brand):
    shipment = ShipmentFactory(brand=brand, carrier="dhl", to_country="DE")
    for status, at, source in [
        (Status.IN_TRANSIT, START - timedelta(days=3), Source.POLL),  # before the window
        (Status.IN_TRANSIT, START, Source.WEBHOOK),
        (Status.IN_TRANSIT, START, Source.WEBHOOK),  # the same scan: no zero gap
        (Status.DELAYED, START + timedelta(hours=20), Source.PARCELCAST),  # ours: not a scan
        (Status.OUT_FOR_DELIVERY, START + timedelta(hours=30), Source.API),  # gap 30 h
        (Status.DELIVERED, START + timedelta(hours=32), Source.POLL),  # gap 2 h
        (Status.POST_PURCHASE, START + timedelta(days=9), Source.API),  # after delivery: no gap
    ]:
        TrackingEventFactory(shipment=shipment, status=status, occurred_at=at, source=source)

    found = lanes.lane_gaps_python(since=NOW - lanes.window())

    assert found == {("dhl", "DE"): (2, pytest.approx(0.9 * 30 * 3600 + 0.1 * 2 * 3600))}


def test_the_percentile_in_sql_and_in_python_agree(brand):
    require_postgres()
    history(brand, country="DE", gaps=minutes(*(7 * i % 200 + 1 for i in range(120))))
    history(brand, carrier="ups", country="DE", gaps=minutes(*(3, 9, 27, 81, 243)))
    since = NOW - lanes.window()

    in_sql, in_python = lanes.lane_gaps_sql(since=since), lanes.lane_gaps_python(since=since)

    assert set(in_sql) == set(in_python) == {("dhl", "DE"), ("ups", "DE")}
    for lane, (count, p90) in in_sql.items():
        assert in_python[lane] == (count, pytest.approx(p90))


def test_a_refresh_updates_known_lanes_and_forgets_lanes_without_recent_gaps(brand):
    LaneStat.objects.create(carrier="dhl", country="DE", gaps=10, p90_seconds=1, computed_at=T0)
    LaneStat.objects.create(carrier="ups", country="IT", gaps=500, p90_seconds=7200, computed_at=T0)
    history(brand, country="DE", gaps=minutes(*([30] * 5)))

    lanes.refresh(now=NOW)

    assert list(LaneStat.objects.values_list("carrier", "country", "gaps", "p90_seconds", "computed_at")) == [
        ("dhl", "DE", 5, 1800, NOW)
    ]


# --- the watch a scan starts ------------------------------------------------------------------


def test_a_carrier_scan_starts_the_watch_one_floor_later(shipment):
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, source=Source.POLL)

    shipment.refresh_from_db()
    assert shipment.last_scan_at == T0 and shipment.stall_check_at == T0 + timedelta(hours=24)


def test_a_newer_scan_moves_the_watch_and_a_late_one_does_not(shipment):
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0 + timedelta(hours=5), external_id="b")
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0 + timedelta(hours=1), external_id="c")

    shipment.refresh_from_db()
    assert shipment.last_scan_at == T0 + timedelta(hours=5)
    assert shipment.stall_check_at == T0 + timedelta(hours=29)


@pytest.mark.parametrize("status", [Status.DELIVERED, Status.READY_FOR_PICKUP, Status.DELAYED, Status.READY_TO_SHIP])
def test_a_scan_into_a_status_the_carrier_owes_nothing_in_ends_the_watch(shipment, status):
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
    event_record(shipment=shipment, status=status, occurred_at=T0 + timedelta(hours=2), external_id="b")

    shipment.refresh_from_db()
    assert shipment.last_scan_at == T0 + timedelta(hours=2) and shipment.stall_check_at is None


def test_parcelcasts_own_event_is_not_a_scan(shipment):
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0, external_id="a")
    event_record(shipment=shipment, status=Status.DELAYED, occurred_at=T0 + timedelta(days=2), external_id="b",
                 source=Source.PARCELCAST)

    shipment.refresh_from_db()
    assert shipment.status == Status.DELAYED
    assert shipment.last_scan_at == T0 and shipment.stall_check_at == T0 + timedelta(hours=24)
