"""A batch's calls run MESSAGE_SEND_CONCURRENCY at a time, and each acceptance (with its charge) is
recorded as soon as its answer arrives: never held for a slower call, and before its place goes to
a new call, so at most MESSAGE_SEND_CONCURRENCY calls are ever unrecorded. Every call yields an
outcome, whatever it raised."""

import threading
import time
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from billing.models import Charge
from messaging.dispatch import concurrency, evidence, recording, sending
from messaging.dispatch.receipts import apply_receipt
from messaging.models import Message, MessageState
from messaging.providers.base import ProviderError, ProviderResult
from messaging.webhooks import StatusUpdate

pytestmark = pytest.mark.django_db


class RecordingProvider:
    """Accepts every call; notes the calls, and how many ran at the same time."""

    def __init__(self, journal: list, *, fail: set[int] = frozenset(), pause: float = 0.0):
        self.journal, self.fail, self.pause = journal, fail, pause
        self.lock = threading.Lock()
        self.running = self.most_at_once = 0

    def send(self, outbound):
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.journal.append(("call", outbound.message_id))
        time.sleep(self.pause)
        with self.lock:
            self.running -= 1
        if outbound.message_id in self.fail:
            raise ProviderError("(#131000) Something went wrong", code="131000", kind="transient")
        return ProviderResult(f"wamid.{outbound.message_id}", "fake")


def send_with(provider, ids, journal, after_record=None):
    real_record = recording.record_acceptances

    def journaled(accepted, *, now):
        journal.append(("record", sorted(item.message.pk for item in accepted)))
        recorded = real_record(accepted, now=now)
        if after_record:
            after_record(accepted, now=now)
        return recorded

    with mock.patch("messaging.dispatch.sending.get_provider", return_value=provider), \
            mock.patch("messaging.dispatch.sending.record_acceptances", side_effect=journaled), \
            mock.patch("messaging.throttle.take", side_effect=lambda key, count, *rate: (count, 0.0)):
        return sending.send_batch(ids)


def test_an_acceptance_is_recorded_as_its_answer_arrives_not_after_the_slower_calls(settings, queued_whatsapp):
    settings.MESSAGE_SEND_CONCURRENCY = 2
    fast, slow = sorted(m.pk for m in queued_whatsapp(2))
    journal: list = []
    fast_recorded = threading.Event()

    class SlowAfterFast(RecordingProvider):
        def send(self, outbound):
            if outbound.message_id == slow:  # answers only once the fast one is written down
                journal.append(("slow saw the fast one recorded", fast_recorded.wait(timeout=5)))
            return super().send(outbound)

    def noting(accepted, *, now):
        if fast in [item.message.pk for item in accepted]:
            fast_recorded.set()

    outcomes = send_with(SlowAfterFast(journal), [fast, slow], journal, after_record=noting)

    assert ("slow saw the fast one recorded", True) in journal
    assert {outcomes[fast].state, outcomes[slow].state} == {MessageState.SENT}
    assert Charge.objects.filter(message_id__in=[fast, slow]).count() == 2


@pytest.mark.parametrize(("round_trip", "apart", "widened"), [
    # Loopback: answers a few milliseconds apart, with a generous floor, so that a loaded
    # machine's thread scheduling cannot split the group.
    (0.0, 0.002, "GATHER_SECONDS"),
    # A real provider answers in 100 - 300 ms and the calls in flight answer spread over that:
    # the group waits a share of the first call's round trip (0.4 s: 100 ms with the cap raised,
    # for the same reason), not a fixed 5 ms.
    (0.4, 0.01, "MAX_GATHER_SECONDS"),
])
def test_answers_that_arrive_close_together_are_recorded_together(settings, queued_whatsapp, round_trip, apart,
                                                                  widened):
    settings.MESSAGE_SEND_CONCURRENCY = 4
    ids = sorted(m.pk for m in queued_whatsapp(4))
    journal: list = []

    class Staggered(RecordingProvider):
        def send(self, outbound):
            time.sleep(round_trip + apart * ids.index(outbound.message_id))
            return super().send(outbound)

    with mock.patch.object(concurrency, widened, 1.0):
        send_with(Staggered(journal), ids, journal)

    assert [detail for kind, detail in journal if kind == "record"] == [ids]
    assert Message.objects.filter(pk__in=ids, state=MessageState.SENT).count() == 4


@pytest.mark.parametrize(("first_call", "window"), [
    (0.002, concurrency.GATHER_SECONDS),  # loopback, a busy machine: never under 5 ms
    (0.1, 0.025),  # a quarter of the round trip
    (2.0, concurrency.MAX_GATHER_SECONDS),  # a slow provider: never over 50 ms
])
def test_a_group_waits_a_quarter_of_its_first_calls_round_trip_within_bounds(first_call, window):
    assert concurrency.gather_window(first_call) == pytest.approx(window)


def test_a_freed_place_goes_to_a_new_call_only_once_the_answers_are_recorded(settings, queued_whatsapp):
    settings.MESSAGE_SEND_CONCURRENCY = 3
    ids = [m.pk for m in queued_whatsapp(12)]
    journal: list = []

    send_with(RecordingProvider(journal, pause=0.01), ids, journal)

    unrecorded, most = 0, 0
    for kind, detail in journal:
        unrecorded += 1 if kind == "call" else -len(detail)
        most = max(most, unrecorded)
    assert most == 3 and unrecorded == 0
    assert Message.objects.filter(pk__in=ids, state=MessageState.SENT).count() == 12


def test_no_more_calls_are_in_flight_than_the_concurrency(settings, queued_whatsapp):
    settings.MESSAGE_SEND_CONCURRENCY = 3
    ids = [m.pk for m in queued_whatsapp(7)]
    provider = RecordingProvider([], pause=0.05)

    send_with(provider, ids, [])

    assert provider.most_at_once == 3
    assert Message.objects.filter(pk__in=ids, state=MessageState.SENT).count() == 7


def test_a_failure_among_concurrent_calls_leaves_the_others_recorded(settings, queued_whatsapp):
    settings.MESSAGE_SEND_CONCURRENCY = 4
    ids = sorted(m.pk for m in queued_whatsapp(4))
    provider = RecordingProvider([], fail={ids[1]})

    outcomes = send_with(provider, ids, [])

    assert outcomes[ids[1]].state == MessageState.QUEUED and outcomes[ids[1]].retry_in > 0
    states = dict(Message.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert states == {ids[0]: "sent", ids[1]: "queued", ids[2]: "sent", ids[3]: "sent"}
    assert set(Charge.objects.values_list("message_id", flat=True)) == {ids[0], ids[2], ids[3]}


def test_an_acceptance_is_recorded_once_however_often_it_is_reported(queued_whatsapp):
    message = queued_whatsapp(1)[0]
    accepted = [recording.Accepted(message, ProviderResult("wamid.ONE", "fake"), (Decimal("0.14"), "EUR"))]

    first = recording.record_acceptances(accepted, now=message.created_at)
    again = recording.record_acceptances(accepted, now=message.created_at)

    assert [m.pk for m in first] == [message.pk] and again == []
    assert Charge.objects.get(message=message).unit_price == Decimal("0.14")


def test_a_receipt_that_overtakes_the_acceptance_keeps_its_state_and_the_message_is_still_charged(queued_whatsapp):
    message = queued_whatsapp(1)[0]
    # Meta's "delivered" arrives before our worker has written down the acceptance
    apply_receipt(StatusUpdate(provider_message_id="wamid.FAST", state="delivered", at=None,
                               recipient=message.recipient, callback_data=str(message.pk)), channel="whatsapp")

    recorded = recording.record_acceptances(
        [recording.Accepted(message, ProviderResult("wamid.FAST", "whatsapp_cloud"), (Decimal("0.14"), "EUR"))],
        now=message.created_at,
    )

    message.refresh_from_db()
    assert [m.pk for m in recorded] == [message.pk]
    assert message.state == MessageState.DELIVERED and message.provider == "whatsapp_cloud"
    assert Charge.objects.filter(message=message).count() == 1


def test_an_acceptance_keeps_the_sent_time_a_receipt_wrote_first_and_stamps_the_others_now(queued_whatsapp):
    early, plain = queued_whatsapp(2)
    receipt_time = timezone.now() - timedelta(minutes=3)
    Message.objects.filter(pk=early.pk).update(sent_at=receipt_time)
    now = timezone.now()

    recorded = recording.record_acceptances(
        [recording.Accepted(m, ProviderResult(f"wamid.{m.pk}", "fake"), (Decimal("0.14"), "EUR")) for m in (early, plain)],
        now=now)

    assert {m.pk: m.sent_at for m in recorded} == {early.pk: receipt_time, plain.pk: now}
    assert dict(Message.objects.filter(pk__in=[early.pk, plain.pk]).values_list("pk", "sent_at")) == \
        {early.pk: receipt_time, plain.pk: now}


def test_a_suppressed_message_is_never_recorded_as_accepted(queued_whatsapp):
    message = queued_whatsapp(1)[0]
    Message.objects.filter(pk=message.pk).update(state=MessageState.SUPPRESSED)

    assert recording.record_acceptances(
        [recording.Accepted(message, ProviderResult("wamid.X", "fake"), (Decimal("0.14"), "EUR"))],
        now=message.created_at) == []
    assert not Charge.objects.exists()


def test_an_unexpected_exception_in_one_call_leaves_the_other_acceptances_recorded(settings, queued_whatsapp):
    settings.MESSAGE_SEND_CONCURRENCY = 4
    ids = sorted(m.pk for m in queued_whatsapp(4))

    class BrokenOnce(RecordingProvider):
        def send(self, outbound):
            if outbound.message_id == ids[2]:
                raise RecursionError("maximum recursion depth exceeded while decoding a JSON array")
            return super().send(outbound)

    before = timezone.now()
    outcomes = send_with(BrokenOnce([]), ids, [])

    states = dict(Message.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert states == {ids[0]: "sent", ids[1]: "sent", ids[2]: "queued", ids[3]: "sent"}
    assert set(Charge.objects.values_list("message_id", flat=True)) == {ids[0], ids[1], ids[3]}
    broken = Message.objects.get(pk=ids[2])
    # a transient failure of that message alone, and ambiguous: its retry waits the evidence window
    assert outcomes[ids[2]].state == MessageState.QUEUED
    assert outcomes[ids[2]].retry_in >= evidence.window_seconds()
    assert broken.claimed_until >= before + timedelta(seconds=evidence.window_seconds())
