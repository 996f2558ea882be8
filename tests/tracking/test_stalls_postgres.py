"""The stall check's pick-up on PostgreSQL: the partial index, and SKIP LOCKED between checkers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import require_postgres
from tests.factories import ShipmentFactory
from tests.tracking.conftest import T0
from tests.tracking.locking import while_locks_are_held
from tracking import stalls
from tracking.models import LaneStat, Shipment, Source, TrackingEvent
from tracking.services import event_record
from tracking.statuses import Status

NOW = T0 + timedelta(days=3)


def stalled(brand, count):
    LaneStat.objects.get_or_create(
        carrier="manual", country="NL", defaults={"gaps": 200, "p90_seconds": 3600, "computed_at": T0}
    )
    shipments = [ShipmentFactory(brand=brand, carrier="manual") for _ in range(count)]
    for shipment in shipments:
        event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=T0)
    return shipments


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_pick_up_reads_the_partial_index_on_the_due_time(brand):
    require_postgres()
    stalled(brand, 3)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner show its choice
        plan = stalls.due_queryset(now=NOW)[:500].explain()

    assert "tracking_shipment_stall_idx" in plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_pick_up_locks_with_skip_locked(brand):
    require_postgres()
    stalled(brand, 1)

    with CaptureQueriesContext(connection) as queries:
        stalls.check_due(now=NOW)

    assert any("FOR UPDATE" in q["sql"] and "SKIP LOCKED" in q["sql"] for q in queries.captured_queries)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_checker_skips_the_parcels_another_one_holds_without_waiting(brand, settings):
    require_postgres()
    settings.TRACKING_STALL_BATCH_SIZE = 3
    shipments = stalled(brand, 5)

    taken = while_locks_are_held(lambda: stalls.check_batch(now=NOW), lambda: stalls.check_due(now=NOW))

    assert taken == (3, 2)
    flagged = TrackingEvent.objects.filter(source=Source.PARCELCAST)
    assert sorted(flagged.values_list("shipment_id", flat=True)) == sorted(s.pk for s in shipments)
    assert not Shipment.objects.filter(stall_check_at__isnull=False).exists()
