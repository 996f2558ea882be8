"""PostgreSQL drops the connection while the provider call is in flight (the backend is
terminated from another connection): the message stays queued under its lease, is not lost, and
once the lease runs out it is sent again and recorded once (one row, one charge)."""

from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils import timezone

from billing.models import Charge
from messaging import tasks
from messaging.dispatch import sending
from messaging.models import Message, MessageState
from messaging.providers.base import ProviderResult
from tests.conftest import require_postgres
from tests.factories import MessageFactory, ShipmentFactory
from tests.factories.billing import seed_default_plans
from tests.switches import switch_on

pytestmark = [pytest.mark.chaos, pytest.mark.postgres]


class ConnectionKillingProvider:
    """Accepts the message, but first terminates the worker's database connection."""

    def __init__(self, kill: bool = True):
        self.kill = kill
        self.calls = 0

    def send(self, outbound):
        self.calls += 1
        if self.kill:
            self.kill = False
            pid = connection.connection.info.backend_pid
            db = connection.settings_dict
            with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                                 password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return ProviderResult(f"wamid.chaos{self.calls}", "fake", {})


@pytest.fixture
def whatsapp_message(transactional_db):
    require_postgres()
    seed_default_plans()
    shipment = ShipmentFactory(status="out_for_delivery", brand__account__plan="growth")
    switch_on(shipment.brand, "whatsapp")
    return MessageFactory(shipment=shipment, channel="whatsapp", trigger_status="out_for_delivery",
                          recipient="+31612345678", whatsapp_template="out_for_delivery")


def test_a_connection_dropped_during_the_provider_call_loses_and_doubles_nothing(whatsapp_message):
    provider = ConnectionKillingProvider()
    with mock.patch("messaging.dispatch.sending.get_provider", return_value=provider), \
            mock.patch("messaging.throttle.take", side_effect=lambda key, count, *rate: (count, 0.0)):
        with pytest.raises((OperationalError, InterfaceError)):
            tasks.send_message(whatsapp_message.pk)
        close_old_connections()  # what Celery's Django fix-up does after a task
        connection.close()

        message = Message.objects.get(pk=whatsapp_message.pk)
        assert message.state == MessageState.QUEUED and message.provider_message_id == ""
        assert message.claimed_until > timezone.now()  # leased: no other sender may take it yet
        assert not Charge.objects.exists()
        assert sending.send_message(message.pk) is None  # a redelivery inside the lease does nothing
        assert provider.calls == 1

        # the lease runs out: the sweeper's (or a redelivery's) send goes through, once
        later = message.claimed_until + timezone.timedelta(seconds=1)
        outcome = sending.send_message(message.pk, now=later)
        assert outcome.state == MessageState.SENT
        assert sending.send_message(message.pk, now=later + timezone.timedelta(hours=1)) is None

    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.provider_message_id == "wamid.chaos2"
    assert Message.objects.filter(shipment=message.shipment).count() == 1
    assert Charge.objects.filter(message=message).count() == 1
    # At-least-once towards the provider: the first call was accepted but could not be recorded.
    assert provider.calls == 2


def test_a_connection_dropped_before_the_claim_sends_nothing(whatsapp_message):
    provider = mock.Mock()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    pid = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                         password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])

    with mock.patch("messaging.dispatch.sending.get_provider", return_value=provider):
        with pytest.raises((OperationalError, InterfaceError)):
            sending.send_message(whatsapp_message.pk)
    close_old_connections()
    connection.close()

    provider.send.assert_not_called()
    message = Message.objects.get(pk=whatsapp_message.pk)
    assert message.state == MessageState.QUEUED and message.claimed_until is None and message.attempts == 0
