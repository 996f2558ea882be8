"""A worker SIGKILLed while planning a 300-event bulk call, with the default visibility timeout,
grace and sweeper: the killed planning task waits in Redis for the visibility timeout (ten
minutes), yet every message is planned and sent within the grace and one sweep of the events,
once a worker runs again. The status entries written with the events stay unplanned (the
planner's transaction dies with it), and the sweeper plans them; no message is sent twice.

Planning is held mid-way by a message row that another transaction has inserted and not
committed: the planner's insert of the same (shipment, status, channel) waits for it, inside the
planner's transaction, until the worker is killed."""

import json
import threading
import time
from unittest import mock

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone

from config.beat import BEAT_SCHEDULE
from messaging import tasks
from messaging.dispatch import entry_planning
from messaging.models import Message, MessageState
from messaging.services.notifications import channel_document_replace
from tests.chaos.conftest import enqueue, wait_for
from tests.factories import BrandFactory, MessageFactory, ShipmentFactory
from tracking.models import Shipment, StatusEntry
from tracking.services import events_record_bulk

pytestmark = [pytest.mark.chaos, pytest.mark.postgres, pytest.mark.redis]
EVENTS = 300
SWEEP_PERIOD = BEAT_SCHEDULE["plan-unplanned-entries"]["schedule"]


class HeldPlanning:
    """Another transaction holding uncommitted SMS rows of these shipments: a planner inserting
    their messages waits for it. `release()` rolls it back."""

    def __init__(self, shipments):
        self.shipments = shipments
        self.holding, self.released = threading.Event(), threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self):
        try:
            with transaction.atomic():
                Message.objects.bulk_create([
                    MessageFactory.build(shipment=s, brand=s.brand, channel="sms", trigger_status="out_for_delivery",
                                         recipient=s.recipient_phone, body="held")
                    for s in self.shipments
                ])
                self.holding.set()
                self.released.wait(timeout=120)
                transaction.set_rollback(True)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)
        finally:
            self.holding.set()
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.holding.wait(timeout=30) and not self.errors, self.errors
        return self

    def release(self):
        self.released.set()
        self.thread.join(timeout=30)

    def __exit__(self, *exc):
        self.release()


def planner_waiting() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND query LIKE %s", ["%INSERT INTO \"messaging_message\"%"])
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_planning_loses_no_message_with_default_settings(
    account, workers, throwaway_redis, fake_twilio
):
    brand = BrandFactory(account=account)
    channel_document_replace(brand=brand, channel="sms", enabled=True, countries={"NL": {}})
    Shipment.objects.bulk_create([
        ShipmentFactory.build(brand=brand, carrier="manual", tracking_number=f"KILL{n:04d}",
                              recipient_phone=f"+3161{n:07d}", tracking_token=f"kill-plan-{n:04d}")
        for n in range(EVENTS)
    ])
    shipments = list(Shipment.objects.filter(brand=brand).select_related("brand"))
    items = [{"carrier": "manual", "tracking_number": s.tracking_number, "status": "out_for_delivery",
              "occurred_at": timezone.now().isoformat(), "external_id": f"ofd-{s.tracking_number}"}
             for s in shipments]
    # Default settings: a task taken by a dead worker is handed out again only after ten minutes
    # (far beyond this test), and the sender's lease is the production one.
    for name in ("CELERY_VISIBILITY_TIMEOUT", "MESSAGE_SEND_LEASE_SECONDS"):
        workers.env.pop(name)
    first = workers.start()

    def to_throwaway_broker(entry_ids):
        enqueue(throwaway_redis.url, "messaging.tasks.plan_messages", entry_ids)

    with HeldPlanning(shipments) as held:
        # when the events come in (the receiver enqueues the planning tasks on commit) ...
        with mock.patch.object(tasks.plan_messages, "delay", side_effect=to_throwaway_broker):
            started = time.monotonic()
            result = events_record_bulk(account=account, items=items)
        assert result.accepted == EVENTS
        # ... and the worker is killed while its planner waits in the middle of its transaction
        assert wait_for(planner_waiting, timeout=60), workers.logs()
        workers.kill(first)
        held.release()

    assert not Message.objects.exists()
    assert StatusEntry.objects.filter(planned_at__isnull=True).count() == EVENTS
    workers.start()

    # the sweeper (beat, every SWEEP_PERIOD) takes the entries left unplanned for longer than GRACE
    newest = StatusEntry.objects.latest("created_at").created_at
    assert wait_for(lambda: timezone.now() > newest + entry_planning.GRACE, timeout=entry_planning.GRACE.seconds + 5)
    enqueue(throwaway_redis.url, "messaging.tasks.plan_unplanned_entries")

    def all_sent() -> bool:
        return Message.objects.filter(state=MessageState.SENT).count() == EVENTS

    assert wait_for(all_sent, timeout=60), workers.logs()
    elapsed = time.monotonic() - started
    print(f"\n{EVENTS} events, planner killed: every message sent {elapsed:.0f} s after the events "
          f"(bound: grace {entry_planning.GRACE.seconds} s + sweep period {SWEEP_PERIOD:.0f} s)")

    assert elapsed < entry_planning.GRACE.seconds + SWEEP_PERIOD
    assert not StatusEntry.objects.filter(planned_at__isnull=True).exists()
    assert Message.objects.count() == EVENTS
    assert len(fake_twilio.requests) == len(fake_twilio.accepted) == EVENTS  # each message once
    assert len({request["body"] for request in fake_twilio.requests}) == EVENTS
    # the killed planning tasks still wait in Redis for their visibility timeout: no redelivery helped
    unacked = [json.loads(item)[0]["headers"]["task"]
               for item in redis.Redis.from_url(throwaway_redis.url).hvals("unacked")]
    assert "messaging.tasks.plan_messages" in unacked, unacked
