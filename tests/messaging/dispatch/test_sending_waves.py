"""A batch goes out in waves of at most MESSAGE_SEND_CONCURRENCY calls at once; each wave's
acceptances (and charges) are recorded in one transaction before the next wave's calls start."""

import threading
import time
from decimal import Decimal
from unittest import mock

import pytest

from billing.models import Charge
from messaging.dispatch import recording, sending
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


def send_with(provider, ids, journal):
    real_record = recording.record_acceptances

    def journaled(accepted, *, now):
        journal.append(("record", sorted(item.message.pk for item in accepted)))
        return real_record(accepted, now=now)

    with mock.patch("messaging.dispatch.sending.get_provider", return_value=provider), \
            mock.patch("messaging.dispatch.sending.record_acceptances", side_effect=journaled), \
            mock.patch("messaging.dispatch.sending.throttle.take", side_effect=lambda key, count, *rate: (count, 0.0)):
        return sending.send_batch(ids)


def test_a_batch_is_sent_in_waves_each_recorded_before_the_next_wave_starts(settings, queued_whatsapp):
    settings.MESSAGE_SEND_CONCURRENCY = 2
    ids = sorted(m.pk for m in queued_whatsapp(5))
    journal: list = []

    outcomes = send_with(RecordingProvider(journal), ids, journal)

    assert {outcome.state for outcome in outcomes.values()} == {MessageState.SENT}
    position = 0
    for wave in ([ids[0], ids[1]], [ids[2], ids[3]], [ids[4]]):
        calls = journal[position : position + len(wave)]  # concurrent within the wave: any order
        assert sorted(pk for kind, pk in calls if kind == "call") == wave
        assert journal[position + len(wave)] == ("record", wave)
        position += len(wave) + 1
    assert position == len(journal)
    assert Charge.objects.filter(message_id__in=ids).count() == 5


def test_no_more_calls_are_in_flight_than_the_concurrency(settings, queued_whatsapp):
    settings.MESSAGE_SEND_CONCURRENCY = 3
    ids = [m.pk for m in queued_whatsapp(7)]
    provider = RecordingProvider([], pause=0.05)

    send_with(provider, ids, [])

    assert provider.most_at_once == 3
    assert Message.objects.filter(pk__in=ids, state=MessageState.SENT).count() == 7


def test_a_failure_in_a_wave_leaves_the_rest_of_the_wave_recorded(settings, queued_whatsapp):
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


def test_a_suppressed_message_is_never_recorded_as_accepted(queued_whatsapp):
    message = queued_whatsapp(1)[0]
    Message.objects.filter(pk=message.pk).update(state=MessageState.SUPPRESSED)

    assert recording.record_acceptances(
        [recording.Accepted(message, ProviderResult("wamid.X", "fake"), (Decimal("0.14"), "EUR"))],
        now=message.created_at) == []
    assert not Charge.objects.exists()
