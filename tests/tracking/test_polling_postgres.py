"""The claim under real concurrency: two transactions at once on PostgreSQL (SKIP LOCKED)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import require_postgres
from tests.factories import ShipmentFactory
from tests.tracking.locking import while_locks_are_held
from tracking import polling
from tracking.models import Shipment


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_skip_each_others_rows_without_waiting(brand):
    require_postgres()
    now = timezone.now()
    shipments = [
        ShipmentFactory(brand=brand, carrier="dhl", tracking_number=f"PG{i}", next_poll_at=now - timedelta(minutes=i))
        for i in range(10)
    ]
    first, second = while_locks_are_held(
        lambda: polling.claim_due(now=now, limit=6), lambda: polling.claim_due(now=now, limit=6)
    )

    first_ids = {pk for pk, _ in first}
    second_ids = {pk for pk, _ in second}
    assert len(first_ids) == 6 and len(second_ids) == 4
    assert first_ids.isdisjoint(second_ids)
    assert first_ids | second_ids == {s.pk for s in shipments}
    # and every claimed row now carries the lease, so nothing is due any more
    assert not Shipment.objects.filter(next_poll_at__lte=now).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_pick_up_query_locks_with_skip_locked(brand):
    require_postgres()
    ShipmentFactory(brand=brand, carrier="dhl", next_poll_at=timezone.now())

    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        polling.claim_due(now=timezone.now())

    assert any("FOR UPDATE" in q["sql"] and "SKIP LOCKED" in q["sql"] for q in queries.captured_queries)
