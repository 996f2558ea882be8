"""Stuck parcels: Parcelcast's own `delayed` event, once per stall, judged against the parcel's lane."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.beat import BEAT_SCHEDULE
from messaging.models import Message
from tests.factories import ChannelCountryFactory, ShipmentFactory
from tests.tracking.conftest import T0
from tracking import stalls, tasks
from tracking.models import LaneStat, Shipment, Source, TrackingEvent
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db

# The lane's threshold: 2 x p90 = 30 h (over the 24 h floor).
OVERDUE = T0 + timedelta(hours=30)


@pytest.fixture
def lane(db):
    return LaneStat.objects.create(carrier="manual", country="NL", gaps=200, p90_seconds=15 * 3600, computed_at=T0)


def scan(shipment, status=Status.IN_TRANSIT, at=T0, **fields):
    event_record(shipment=shipment, status=status, occurred_at=at, external_id=f"scan-{at.isoformat()}", **fields)
    shipment.refresh_from_db()
    return shipment


def own_events(shipment):
    return list(TrackingEvent.objects.filter(shipment=shipment, source=Source.PARCELCAST).order_by("occurred_at"))


def test_a_parcel_silent_past_its_lane_threshold_gets_a_delayed_event_from_parcelcast(
    shipment, lane, announced, django_capture_on_commit_callbacks
):
    scan(shipment)

    with django_capture_on_commit_callbacks(execute=True):
        stalls.check_due(now=OVERDUE + timedelta(minutes=3))

    [event] = own_events(shipment)
    shipment.refresh_from_db()
    assert (event.status, event.occurred_at) == (Status.DELAYED, OVERDUE + timedelta(minutes=3))
    assert event.description == "No carrier scan since Mon 1 Jun 2026"  # a manual shipment names no carrier
    assert shipment.status == Status.DELAYED and shipment.stall_check_at is None
    # through the normal ingest: messaging hears of it like any other status change
    assert announced == [{"shipment_id": shipment.pk, "status": Status.DELAYED,
                          "previous_status": Status.IN_TRANSIT, "event_id": event.pk}]


def test_the_shopper_is_told_of_the_stall_like_of_any_delay(brand, django_capture_on_commit_callbacks):
    ChannelCountryFactory(setting__brand=brand, country="NL")  # e-mail on for every status
    LaneStat.objects.create(carrier="manual", country="NL", gaps=200, p90_seconds=3600, computed_at=T0)
    shipment = ShipmentFactory(brand=brand, carrier="manual")
    now = timezone.now()
    scan(shipment, at=now - timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        stalls.check_due(now=now)

    [message] = Message.objects.filter(shipment=shipment, trigger_status=Status.DELAYED)
    assert message.channel == "email" and message.state != "suppressed"


def test_the_stall_is_raised_once_and_not_again_until_a_new_scan(shipment, lane):
    scan(shipment)
    stalls.check_due(now=OVERDUE)
    stalls.check_due(now=OVERDUE + timedelta(days=3))
    assert len(own_events(shipment)) == 1

    rescanned = scan(shipment, at=OVERDUE + timedelta(days=4))  # the carrier speaks again, then falls silent
    stalls.check_due(now=OVERDUE + timedelta(days=4, hours=29))
    assert rescanned.status == Status.IN_TRANSIT and len(own_events(shipment)) == 1
    stalls.check_due(now=OVERDUE + timedelta(days=4, hours=30))

    assert [e.occurred_at for e in own_events(shipment)] == [OVERDUE, OVERDUE + timedelta(days=4, hours=30)]


def test_checking_the_same_stall_twice_records_it_once(shipment, lane):
    scan(shipment)
    stalls.check_due(now=OVERDUE)
    # a second checker that read the row before the first one wrote (SQLite has no SKIP LOCKED)
    Shipment.objects.filter(pk=shipment.pk).update(status=Status.IN_TRANSIT, stall_check_at=T0)
    stalls.check_due(now=OVERDUE + timedelta(minutes=2))

    assert len(own_events(shipment)) == 1


def test_a_parcel_within_its_lane_threshold_is_looked_at_again_when_it_would_be_overdue(shipment, lane):
    scan(shipment)

    stalls.check_due(now=T0 + timedelta(hours=25))  # the first look is a floor (24 h) after the scan

    shipment.refresh_from_db()
    assert own_events(shipment) == [] and shipment.stall_check_at == OVERDUE


@pytest.mark.parametrize("gaps", [None, 49])
def test_a_lane_without_enough_history_raises_nothing_and_looks_again_a_floor_later(shipment, gaps):
    if gaps is not None:
        LaneStat.objects.create(carrier="manual", country="NL", gaps=gaps, p90_seconds=3600, computed_at=T0)
    scan(shipment)
    now = T0 + timedelta(days=5)

    stalls.check_due(now=now)

    shipment.refresh_from_db()
    assert own_events(shipment) == [] and shipment.status == Status.IN_TRANSIT
    assert shipment.stall_check_at == now + timedelta(hours=24)


@pytest.mark.parametrize("status", [Status.DELIVERED, Status.RETURN_RECEIVED, Status.POST_PURCHASE])
def test_a_parcel_in_a_terminal_status_is_never_flagged(shipment, lane, status):
    scan(shipment)
    scan(shipment, status=status, at=T0 + timedelta(hours=1))
    Shipment.objects.filter(pk=shipment.pk).update(stall_check_at=T0)  # even if it were due

    stalls.check_due(now=T0 + timedelta(days=6))

    shipment.refresh_from_db()
    assert own_events(shipment) == [] and shipment.status == status and shipment.stall_check_at is None


def test_a_parcel_the_carrier_already_called_delayed_is_not_flagged_again(shipment, lane):
    scan(shipment)
    scan(shipment, status=Status.DELAYED, at=T0 + timedelta(hours=2))
    Shipment.objects.filter(pk=shipment.pk).update(stall_check_at=T0)

    stalls.check_due(now=T0 + timedelta(days=6))

    assert own_events(shipment) == []


def test_a_parcel_silent_for_longer_than_polling_waits_is_left_alone(shipment, lane):
    scan(shipment)

    stalls.check_due(now=T0 + timedelta(days=31))

    shipment.refresh_from_db()
    assert own_events(shipment) == [] and shipment.stall_check_at is None


@pytest.fixture
def polled(brand):
    LaneStat.objects.create(carrier="dhl", country="NL", gaps=200, p90_seconds=15 * 3600, computed_at=T0)
    shipment = ShipmentFactory(brand=brand, carrier="dhl", to_country="NL")
    return scan(shipment, source=Source.POLL)


def test_a_polled_parcel_is_flagged_only_once_the_carrier_was_asked_after_it_became_overdue(polled):
    next_poll = OVERDUE + timedelta(hours=1)
    Shipment.objects.filter(pk=polled.pk).update(last_polled_at=OVERDUE - timedelta(minutes=1), next_poll_at=next_poll)

    stalls.check_due(now=OVERDUE + timedelta(minutes=10))
    polled.refresh_from_db()
    assert own_events(polled) == [] and polled.stall_check_at == next_poll + stalls.POLL_SLACK

    asked_at = next_poll + timedelta(minutes=1)
    Shipment.objects.filter(pk=polled.pk).update(last_polled_at=asked_at, next_poll_at=asked_at + timedelta(hours=12))
    stalls.check_due(now=next_poll + stalls.POLL_SLACK)

    # dated when the carrier last said nothing new: a scan it reports after that is newer
    assert [e.occurred_at for e in own_events(polled)] == [asked_at]


def test_a_carrier_answering_with_errors_never_makes_a_parcel_stuck(polled):
    Shipment.objects.filter(pk=polled.pk).update(
        last_polled_at=OVERDUE + timedelta(hours=2), poll_failures=3, next_poll_at=OVERDUE + timedelta(hours=4)
    )

    stalls.check_due(now=OVERDUE + timedelta(hours=3))

    assert own_events(polled) == []


def test_the_check_takes_only_due_parcels_and_costs_the_same_however_many_are_not(brand, lane, settings):
    def check_one_due(now):
        due = scan(ShipmentFactory(brand=brand, carrier="manual"), at=now - timedelta(days=2))
        with CaptureQueriesContext(connection) as queries:
            assert stalls.check_due(now=now) == 1
        assert len(own_events(due)) == 1
        return len(queries)

    alone = check_one_due(T0 + timedelta(days=3))
    for offset in range(30):  # watched but not due yet, or not watched at all
        scan(ShipmentFactory(brand=brand, carrier="manual"), at=T0 + timedelta(days=3, minutes=offset))
        ShipmentFactory(brand=brand, carrier="manual")
    among_many = check_one_due(T0 + timedelta(days=3, hours=1))

    assert among_many == alone
    assert Shipment.objects.filter(stall_check_at__gte=T0 + timedelta(days=4)).count() == 30  # untouched


def test_the_check_works_in_batches_until_nothing_is_due(brand, lane, settings):
    settings.TRACKING_STALL_BATCH_SIZE = 2
    parcels = [scan(ShipmentFactory(brand=brand, carrier="manual")) for _ in range(5)]

    assert stalls.check_due(now=OVERDUE) == 5
    assert all(len(own_events(parcel)) == 1 for parcel in parcels)


def test_beat_runs_the_check_often_and_the_lane_refresh_daily(shipment, lane, monkeypatch):
    assert BEAT_SCHEDULE["check-stalled-shipments"]["task"] == "tracking.tasks.check_stalled_shipments"
    assert BEAT_SCHEDULE["refresh-lane-stats"]["task"] == "tracking.tasks.refresh_lane_stats"
    scan(shipment)
    monkeypatch.setattr("tracking.tasks.timezone.now", lambda: OVERDUE)

    assert tasks.check_stalled_shipments() == 1
    assert len(own_events(shipment)) == 1


@pytest.mark.parametrize("ours", [True, False])
def test_a_delay_parcelcast_raised_never_says_the_carrier_told_us(brand, django_capture_on_commit_callbacks, ours):
    """"Sorry! Je pakket heeft vertraging, laat PostNL ons weten" would be untrue of a delay the
    carrier never reported: the carrier's part of the text goes; a carrier's own delay keeps it."""
    ChannelCountryFactory(setting__brand=brand, country="NL")  # e-mail on for every status
    LaneStat.objects.create(carrier="manual", country="NL", gaps=200, p90_seconds=3600, computed_at=T0)
    shipment = ShipmentFactory(brand=brand, carrier="manual", carrier_name="PostNL", language="nl")
    now = timezone.now()
    scan(shipment, at=now - timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        if ours:
            stalls.check_due(now=now)
        else:
            scan(shipment, Status.DELAYED, at=now - timedelta(minutes=1))

    [message] = Message.objects.filter(shipment=shipment, trigger_status=Status.DELAYED)
    assert "Je pakket heeft vertraging" in message.body
    assert ("laat PostNL ons weten" in message.body) is not ours
