"""The claim under real concurrency: two transactions at once on PostgreSQL (SKIP LOCKED)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.conftest import require_postgres
from tests.factories import ShipmentFactory
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
    first_holds_its_locks = threading.Event()
    second_done = threading.Event()
    claims: dict[str, list[tuple[int, str]]] = {}
    errors: list[BaseException] = []

    def first():
        try:
            with transaction.atomic():  # keeps the row locks until the second claim is over
                claims["first"] = polling.claim_due(now=now, limit=6)
                first_holds_its_locks.set()
                assert second_done.wait(timeout=20), "the second claim blocked on the first one's locks"
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
            first_holds_its_locks.set()
        finally:
            connection.close()

    def second():
        try:
            assert first_holds_its_locks.wait(timeout=20)
            claims["second"] = polling.claim_due(now=now, limit=6)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    first_ids = {pk for pk, _ in claims["first"]}
    second_ids = {pk for pk, _ in claims["second"]}
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
