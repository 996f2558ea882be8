"""Two waves of one account crossing the alert threshold and the cap at the same moment, on
separate connections: one alert per threshold, one e-mail each, never two.

Needs PostgreSQL (real row locks and concurrent transactions); skips elsewhere, fails under CI=true.
"""

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from billing.spend_models import SpendAlert, SpendMonth
from brands.models import Role
from messaging.models import Message
from messaging.signals import messages_accepted
from tests.conftest import require_postgres
from tests.factories import AccountFactory, BrandFactory, MembershipFactory, MessageFactory, ShipmentFactory
from tests.factories.billing import SpendCapFactory, seed_default_plans


def _whatsapp_messages(brand, prices):
    return [MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state="sent",
                           provider="sandbox", price=Decimal(price), currency="EUR", sent_at=timezone.now())
            for price in prices]


def _race(waves) -> list[str]:
    barrier = threading.Barrier(len(waves))
    errors = []

    def accept(messages):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                messages_accepted.send(sender=Message, messages=messages)
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(wave,)) for wave in waves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_waves_crossing_the_thresholds_alert_once_each(round_):
    require_postgres()
    seed_default_plans()
    account = AccountFactory()
    MembershipFactory(account=account, role=Role.OWNER, user__email="owner@acme.test")
    brand = BrandFactory(account=account)
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), alert_at_percent=80)
    # Four waves of 15.00: whichever order they commit in, one of them passes 80% (40.00) and
    # one passes the cap (50.00); each sees the totals of those committed before it.
    waves = [_whatsapp_messages(brand, ["7.50", "7.50"]) for _ in range(4)]

    errors = _race(waves)

    assert errors == []
    assert SpendMonth.objects.for_account(account).get().amount == Decimal("60.00")
    assert sorted(SpendAlert.objects.for_account(account).values_list("percent", flat=True)) == [80, 100]
    subjects = sorted(email.subject for email in mail.outbox)
    assert len(subjects) == 2, subjects
    assert sum("cap reached" in subject for subject in subjects) == 1
