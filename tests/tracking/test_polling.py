"""The poller: which shipments are due, the claim, and the adaptive schedule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ShipmentFactory
from tracking import polling
from tracking.carriers import CarrierAdapter, CarrierError, CarrierEvent, FetchResult
from tracking.models import Shipment, TrackingEvent
from tracking.services import event_record
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


class ScriptedAdapter(CarrierAdapter):
    """A polled carrier whose answers the test writes: number -> list of (status, at) or an error."""

    code = "dhl"
    name = "Scripted"
    polled = True

    def __init__(self, answers=None, raises: Exception | None = None):
        self.answers = answers or {}
        self.raises = raises
        self.asked: list[str] = []

    def fetch(self, queries, *, now):
        if self.raises is not None:
            raise self.raises
        results = []
        for query in queries:
            self.asked.append(query.tracking_number)
            answer = self.answers.get(query.tracking_number, [])
            if isinstance(answer, CarrierError):
                results.append(FetchResult(query.tracking_number, error=answer))
                continue
            events = tuple(
                CarrierEvent(query.tracking_number, status, at, status.upper(), f"{status} scan", "Bonn, DE",
                             f"{query.tracking_number}:{status}:{at.isoformat()}")
                for status, at in answer
            )
            results.append(FetchResult(query.tracking_number, events))
        return results

    @staticmethod
    def map_status(raw_code, raw_text):
        return None


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def carrier(monkeypatch):
    adapter = ScriptedAdapter()
    monkeypatch.setattr(polling, "get_adapter", lambda code: adapter)
    return adapter


def dhl(brand, number, **fields):
    fields.setdefault("next_poll_at", timezone.now())  # scheduled, as the claim leaves it
    return ShipmentFactory(brand=brand, carrier="dhl", tracking_number=number, **fields)


def poll(shipment, now):
    polling.poll_batch(shipment.carrier, [shipment.pk], now=now)
    shipment.refresh_from_db()
    return shipment


# --- which shipments are due, and the claim ---------------------------------------------------


def test_only_due_shipments_of_polled_carriers_are_picked(brand, now):
    due = dhl(brand, "DUE1", next_poll_at=now - timedelta(minutes=1))
    dhl(brand, "LATER1", next_poll_at=now + timedelta(minutes=1))
    dhl(brand, "NEVER1", next_poll_at=None)
    ShipmentFactory(brand=brand, carrier="manual", next_poll_at=now - timedelta(hours=1))
    ShipmentFactory(brand=brand, carrier="aftership", next_poll_at=now - timedelta(hours=1))

    assert list(polling.due_queryset(now=now)) == [due]


def test_the_most_overdue_are_claimed_first(brand, now):
    newer = dhl(brand, "A1", next_poll_at=now - timedelta(minutes=1))
    older = dhl(brand, "B1", next_poll_at=now - timedelta(hours=1))

    assert polling.claim_due(now=now, limit=1) == [(older.pk, "dhl")]
    assert polling.claim_due(now=now, limit=1) == [(newer.pk, "dhl")]


def test_two_claims_never_return_the_same_shipment(brand, now):
    shipments = [dhl(brand, f"N{i}", next_poll_at=now - timedelta(minutes=i)) for i in range(7)]

    first = polling.claim_due(now=now, limit=4)
    second = polling.claim_due(now=now, limit=4)

    assert len(first) == 4 and len(second) == 3
    assert {pk for pk, _ in first}.isdisjoint(pk for pk, _ in second)
    assert polling.claim_due(now=now, limit=4) == []
    assert {pk for pk, _ in first + second} == {s.pk for s in shipments}


def test_a_claim_pushes_the_next_poll_forward_by_the_lease(brand, now):
    shipment = dhl(brand, "L1", next_poll_at=now)

    polling.claim_due(now=now)

    shipment.refresh_from_db()
    assert shipment.next_poll_at == now + polling.lease()


def test_a_claimed_shipment_whose_batch_was_lost_is_due_again_after_the_lease(brand, now):
    shipment = dhl(brand, "L1", next_poll_at=now)
    polling.claim_due(now=now)  # ... and the batch never runs

    assert polling.claim_due(now=now + polling.lease() - timedelta(seconds=1)) == []
    assert polling.claim_due(now=now + polling.lease()) == [(shipment.pk, "dhl")]


def test_claims_are_cut_into_batches_per_carrier():
    rows = [(1, "dhl"), (2, "ups"), (3, "dhl"), (4, "dhl"), (5, "sandbox")]

    assert polling.batches(rows, size=2) == [("dhl", [1, 3]), ("dhl", [4]), ("ups", [2]), ("sandbox", [5])]


def test_the_dispatcher_fans_out_one_task_per_batch_after_the_claim_commits(
    brand, now, settings, django_capture_on_commit_callbacks
):
    settings.TRACKING_POLL_BATCH_SIZE = 2
    for i in range(3):
        dhl(brand, f"D{i}", next_poll_at=now)
    ShipmentFactory(brand=brand, carrier="sandbox", next_poll_at=now)
    sent = []

    with django_capture_on_commit_callbacks() as callbacks:
        claimed = polling.dispatch_due(now=now, enqueue=lambda carrier, ids: sent.append((carrier, len(ids))))
        assert sent == []  # nothing is enqueued before the claim is committed
    for callback in callbacks:
        callback()

    assert claimed == 4 and sorted(sent) == [("dhl", 1), ("dhl", 2), ("sandbox", 1)]


def test_a_broker_failure_leaves_the_claimed_shipments_to_the_lease(brand, now, django_capture_on_commit_callbacks):
    shipment = dhl(brand, "B1", next_poll_at=now)

    def broken(carrier, ids):
        raise ConnectionError("broker down")

    with django_capture_on_commit_callbacks(execute=True):
        polling.dispatch_due(now=now, enqueue=broken)

    shipment.refresh_from_db()
    assert shipment.next_poll_at == now + polling.lease()


# --- the adaptive schedule --------------------------------------------------------------------


def test_out_for_delivery_is_polled_sooner_than_in_transit(brand, carrier, now):
    driving, travelling = dhl(brand, "OFD1"), dhl(brand, "TRN1")
    carrier.answers = {"OFD1": [(Status.OUT_FOR_DELIVERY, now - timedelta(minutes=5))],
                       "TRN1": [(Status.IN_TRANSIT, now - timedelta(minutes=5))]}

    polling.poll_batch("dhl", [driving.pk, travelling.pk], now=now)

    driving.refresh_from_db()
    travelling.refresh_from_db()
    assert driving.status == Status.OUT_FOR_DELIVERY and driving.next_poll_at == now + timedelta(minutes=15)
    assert travelling.status == Status.IN_TRANSIT and travelling.next_poll_at == now + timedelta(hours=2)
    assert driving.last_polled_at == now and TrackingEvent.objects.count() == 2


def test_the_regular_interval_is_a_setting(brand, carrier, now, settings):
    settings.TRACKING_POLL_INTERVAL_SECONDS = 3600
    carrier.answers = {"TRN1": [(Status.IN_TRANSIT, now)]}

    assert poll(dhl(brand, "TRN1"), now).next_poll_at == now + timedelta(hours=1)


def test_a_terminal_status_stops_polling(brand, carrier, now):
    carrier.answers = {"DLV1": [(Status.DELIVERED, now - timedelta(minutes=1))]}

    shipment = poll(dhl(brand, "DLV1"), now)

    assert shipment.status == Status.DELIVERED and shipment.next_poll_at is None


def test_a_quiet_shipment_is_polled_less_and_less_often(brand, carrier, now):
    shipment = dhl(brand, "Q1")
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=now - timedelta(hours=20))

    shipment = poll(shipment, now)

    assert shipment.next_poll_at == now + timedelta(hours=5)  # a quarter of the quiet time


def test_the_back_off_without_news_is_capped(brand, carrier, now):
    shipment = dhl(brand, "Q1")
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=now - timedelta(days=10))

    assert poll(shipment, now).next_poll_at == now + timedelta(hours=12)


def test_thirty_days_without_news_stops_polling(brand, carrier, now):
    shipment = dhl(brand, "Q1")
    event_record(shipment=shipment, status=Status.IN_TRANSIT, occurred_at=now - timedelta(days=31))

    assert poll(shipment, now).next_poll_at is None


def test_a_carrier_error_backs_off_and_keeps_the_schedule(brand, carrier, now):
    carrier.answers = {"E1": CarrierError("DHL answered HTTP 503", kind="unavailable")}
    shipment = dhl(brand, "E1", next_poll_at=now)

    first = poll(shipment, now).next_poll_at
    second = poll(shipment, now).next_poll_at

    assert shipment.poll_failures == 2
    assert first == now + timedelta(hours=4) and second == now + timedelta(hours=8)
    assert shipment.last_polled_at == now


def test_a_success_after_errors_resets_the_failures(brand, carrier, now):
    shipment = dhl(brand, "E1", poll_failures=3, next_poll_at=now)
    carrier.answers = {"E1": [(Status.IN_TRANSIT, now)]}

    shipment = poll(shipment, now)

    assert shipment.poll_failures == 0 and shipment.next_poll_at == now + timedelta(hours=2)


def test_a_rate_limit_honours_retry_after(brand, carrier, now):
    carrier.answers = {"R1": CarrierError("429", kind="rate_limited", retry_after=900)}

    shipment = poll(dhl(brand, "R1", next_poll_at=now), now)

    assert shipment.next_poll_at == now + timedelta(seconds=900) and shipment.poll_failures == 1


def test_a_broken_adapter_never_loses_the_schedule(brand, monkeypatch, now):
    monkeypatch.setattr(polling, "get_adapter", lambda code: ScriptedAdapter(raises=KeyError("parser bug")))

    shipment = poll(dhl(brand, "X1", next_poll_at=now), now)

    assert shipment.next_poll_at == now + timedelta(hours=4) and shipment.poll_failures == 1


def test_not_found_for_thirty_days_stops_polling(brand, carrier, now):
    carrier.answers = {"NF1": CarrierError("unknown number", kind="not_found")}
    shipment = dhl(brand, "NF1", next_poll_at=now)
    Shipment.objects.filter(pk=shipment.pk).update(created_at=now - timedelta(days=31))

    assert poll(shipment, now).next_poll_at is None


def test_a_shipment_stopped_since_its_claim_is_not_polled(brand, carrier, now):
    shipment = dhl(brand, "S1", next_poll_at=None)

    polling.poll_batch("dhl", [shipment.pk], now=now)

    assert carrier.asked == []


def test_the_carrier_estimate_updates_the_expected_delivery(brand, monkeypatch, now):
    estimate = (now + timedelta(days=2)).date()

    class Estimating(ScriptedAdapter):
        def fetch(self, queries, *, now):
            return [FetchResult(q.tracking_number, expected_delivery=estimate) for q in queries]

    monkeypatch.setattr(polling, "get_adapter", lambda code: Estimating())

    assert poll(dhl(brand, "ETA1"), now).expected_delivery == estimate


# --- the sandbox ------------------------------------------------------------------------------


def test_a_sandbox_shipment_is_polled_again_at_its_next_journey_step(brand, now, settings, fresh_adapters):
    settings.SANDBOX_CARRIER_STEP_SECONDS = 120
    shipment = ShipmentFactory(brand=brand, carrier="sandbox", tracking_number="DEMO1DELAY", next_poll_at=now)
    started = shipment.created_at

    shipment = poll(shipment, started + timedelta(seconds=30))

    # the delay story: label at 0, picked up at step 1
    assert shipment.status == Status.READY_TO_SHIP
    assert shipment.next_poll_at == started + timedelta(seconds=120)


def test_the_beat_task_moves_a_sandbox_parcel_along_its_journey(
    brand, announced, django_capture_on_commit_callbacks, settings, fresh_adapters
):
    from tracking.tasks import poll_due_shipments

    settings.SANDBOX_CARRIER_STEP_SECONDS = 120
    shipment = ShipmentFactory(brand=brand, carrier="sandbox", tracking_number="DEMO2PICKUP")
    step = timedelta(seconds=120)
    Shipment.objects.filter(pk=shipment.pk).update(created_at=timezone.now() - 7 * step, next_poll_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        poll_due_shipments()

    shipment.refresh_from_db()
    assert shipment.status == Status.READY_FOR_PICKUP and shipment.events.count() == 6
    assert shipment.next_poll_at is not None and shipment.expected_delivery is not None
    assert [(a["shipment_id"], a["status"]) for a in announced] == [(shipment.pk, Status.READY_FOR_PICKUP)]
