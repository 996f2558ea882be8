"""A shipment's status moves only with a strictly newer event; nothing else ever moves it."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.tracking.conftest import T0
from tracking.models import TrackingEvent
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


def record(shipment, status, at, external_id=None, **extra):
    return event_record(shipment=shipment, status=status, occurred_at=at, external_id=external_id or "", **extra)


def test_the_first_event_sets_status_and_its_time(shipment):
    event, created = record(shipment, Status.IN_TRANSIT, T0, "e1")

    shipment.refresh_from_db()
    assert created and event.pk
    assert shipment.status == Status.IN_TRANSIT and shipment.status_at == T0


def test_a_newer_event_moves_the_status_on(shipment):
    record(shipment, Status.IN_TRANSIT, T0, "e1")
    record(shipment, Status.OUT_FOR_DELIVERY, T0 + timedelta(hours=3), "e2")

    shipment.refresh_from_db()
    assert shipment.status == Status.OUT_FOR_DELIVERY and shipment.status_at == T0 + timedelta(hours=3)


def test_a_late_event_is_stored_but_never_moves_the_status_back(shipment):
    record(shipment, Status.DELIVERED, T0 + timedelta(hours=5), "e2")

    event, created = record(shipment, Status.IN_TRANSIT, T0, "e1")

    shipment.refresh_from_db()
    assert created and TrackingEvent.objects.filter(shipment=shipment).count() == 2
    assert shipment.status == Status.DELIVERED and shipment.status_at == T0 + timedelta(hours=5)


def test_a_repeated_event_is_stored_once_and_changes_nothing(shipment, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, first_created = record(shipment, Status.IN_TRANSIT, T0, "e1")
        again, again_created = record(shipment, Status.IN_TRANSIT, T0, "e1")

    assert first_created and not again_created and again.pk == first.pk
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 1
    assert len(announced) == 1


def test_an_event_without_id_sent_twice_is_recognised_as_the_same(shipment):
    record(shipment, Status.IN_TRANSIT, T0, location="Venlo", description="Picked up")
    _, created = record(shipment, Status.IN_TRANSIT, T0, location="Venlo", description="Picked up")

    assert not created and TrackingEvent.objects.filter(shipment=shipment).count() == 1


def test_events_out_of_order_end_on_the_newest(shipment):
    for status, hours, ext in [
        (Status.OUT_FOR_DELIVERY, 6, "c"), (Status.READY_TO_SHIP, 0, "a"), (Status.IN_TRANSIT, 2, "b"),
    ]:
        record(shipment, status, T0 + timedelta(hours=hours), ext)

    shipment.refresh_from_db()
    assert shipment.status == Status.OUT_FOR_DELIVERY and shipment.status_at == T0 + timedelta(hours=6)


def test_an_event_at_the_same_time_as_the_current_status_is_ignored(shipment):
    record(shipment, Status.OUT_FOR_DELIVERY, T0, "a")

    _, created = record(shipment, Status.DELIVERY_FAILED, T0, "b")

    shipment.refresh_from_db()
    assert created and shipment.status == Status.OUT_FOR_DELIVERY


def test_a_newer_event_with_the_same_status_keeps_a_later_older_event_from_winning(shipment):
    # given in transit at 08:00 and again at 12:00
    record(shipment, Status.IN_TRANSIT, T0, "a")
    record(shipment, Status.IN_TRANSIT, T0 + timedelta(hours=4), "b")

    # when a "delayed" scan from 10:00 arrives late
    record(shipment, Status.DELAYED, T0 + timedelta(hours=2), "c")

    # then the 12:00 scan still rules
    shipment.refresh_from_db()
    assert shipment.status == Status.IN_TRANSIT and shipment.status_at == T0 + timedelta(hours=4)


def test_an_event_in_another_timezone_is_compared_by_the_instant(shipment):
    from zoneinfo import ZoneInfo

    record(shipment, Status.IN_TRANSIT, T0, "a")  # 08:00 UTC
    record(shipment, Status.DELAYED, datetime(2026, 6, 1, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam")), "b")  # 07:30 UTC

    shipment.refresh_from_db()
    assert shipment.status == Status.IN_TRANSIT


def test_a_time_without_timezone_is_refused_and_nothing_is_stored(shipment):
    with pytest.raises(ValidationError) as caught:
        record(shipment, Status.IN_TRANSIT, datetime(2026, 6, 1, 8, 0), "a")

    assert "occurred_at" in caught.value.message_dict
    assert not TrackingEvent.objects.exists()


def test_an_unknown_status_is_refused_and_nothing_is_stored(shipment):
    with pytest.raises(ValidationError) as caught:
        record(shipment, "teleported", T0, "a")

    assert "status" in caught.value.message_dict
    assert not TrackingEvent.objects.exists()


def test_a_ready_for_pickup_event_remembers_where_the_parcel_waits(shipment):
    record(shipment, Status.READY_FOR_PICKUP, T0, "a", location="Primera, Kalverstraat 12, Amsterdam")

    shipment.refresh_from_db()
    assert shipment.pickup_point == "Primera, Kalverstraat 12, Amsterdam"
