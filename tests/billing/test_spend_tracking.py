"""The running spend that the cap is checked against: kept by the charge receiver, per day and per
month, equal to the charges really written (a replayed acceptance adds nothing)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from billing.models import Charge
from billing.spend_models import DailySpend, SpendMonth
from messaging.models import Message
from messaging.signals import messages_accepted
from tests.billing.conftest import accept_whatsapp
from tests.conftest import require_postgres
from tests.factories import MessageFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

JUNE_30_LATE = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
JULY_1ST = dt.datetime(2026, 7, 1, 0, 30, tzinfo=dt.UTC)


def month_total(account, month: dt.date) -> Decimal:
    return SpendMonth.objects.for_account(account).get(month=month).amount


def test_each_wave_of_charges_adds_to_the_days_and_the_month_of_its_account(account, brand, outsider):
    accept_whatsapp(brand, ["0.14", "0.14"], at=JUNE_30_LATE)
    accept_whatsapp(brand, ["0.16"], at=JUNE_30_LATE)

    assert month_total(account, dt.date(2026, 6, 1)) == Decimal("0.44")
    assert DailySpend.objects.for_account(account).get(day=dt.date(2026, 6, 30)).amount == Decimal("0.44")
    assert not SpendMonth.objects.for_account(outsider).exists()


def test_charges_count_in_the_utc_day_and_month_they_were_accepted(account, brand):
    accept_whatsapp(brand, ["0.14"], at=JUNE_30_LATE)
    accept_whatsapp(brand, ["0.12"], at=JULY_1ST)

    assert month_total(account, dt.date(2026, 6, 1)) == Decimal("0.14")
    assert month_total(account, dt.date(2026, 7, 1)) == Decimal("0.12")
    assert dict(DailySpend.objects.for_account(account).values_list("day", "amount")) == {
        dt.date(2026, 6, 30): Decimal("0.14"), dt.date(2026, 7, 1): Decimal("0.12")}


def test_a_replayed_acceptance_is_neither_charged_nor_counted_twice(account, brand):
    messages = accept_whatsapp(brand, ["0.14", "0.14"], at=JUNE_30_LATE)

    with transaction.atomic():
        messages_accepted.send(sender=Message, messages=messages)

    assert Charge.objects.for_account(account).count() == 2
    assert month_total(account, dt.date(2026, 6, 1)) == Decimal("0.28")


def test_the_running_month_equals_the_sum_of_its_charges(account, brand):
    for prices in (["0.14"] * 3, ["0.16", "0.0456"], ["0.12"] * 5):
        accept_whatsapp(brand, prices, at=JUNE_30_LATE)

    charged = sum(Charge.objects.for_account(account).values_list("unit_price", flat=True))
    assert month_total(account, dt.date(2026, 6, 1)) == charged == Decimal("1.2256")



def test_on_postgresql_a_wave_writes_its_charges_and_both_totals_in_one_statement(account, brand):
    require_postgres()
    accept_whatsapp(brand, ["0.14"], at=JUNE_30_LATE)  # the day and month rows exist: this wave adds to them
    wave = [MessageFactory(shipment=ShipmentFactory(brand=brand), channel="whatsapp", state="sent", provider="sandbox",
                           price=Decimal(price), currency="EUR", sent_at=JUNE_30_LATE) for price in ("0.16", "0.12")]

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        messages_accepted.send(sender=Message, messages=wave)

    assert len(queries) == 1
    assert sorted(Charge.objects.filter(message__in=wave).values_list("unit_price", "currency", "created_at")) == [
        (Decimal("0.1200"), "EUR", JUNE_30_LATE), (Decimal("0.1600"), "EUR", JUNE_30_LATE)]
    assert month_total(account, dt.date(2026, 6, 1)) == Decimal("0.42")
    assert DailySpend.objects.for_account(account).get(day=dt.date(2026, 6, 30)).amount == Decimal("0.42")
