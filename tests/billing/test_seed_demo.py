"""`manage.py seed_demo`: the demo shows the send decisions of issue 15 (a brand with quiet
hours, a WhatsApp-first brand falling back to SMS for a shopper not on WhatsApp, a spend cap near
its limit, a stuck parcel), and a second run changes nothing."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing import spend
from billing.demo_history import DESTINATIONS
from billing.models import Charge
from billing.spend_models import SpendAlert
from brands.models import Account, Brand
from messaging.dispatch.planning import plan_messages
from messaging.message_selectors import usage
from messaging.models import Message, MessageState, SendingPolicy
from messaging.policy import get_policy
from messaging.policy_selectors import policy_for
from tracking.models import Shipment, Source, StatusEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(plans, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=out)
    return Account.objects.get(pk=json.loads(out.getvalue())["account"])


def test_seeding_the_demo_twice_changes_nothing(demo, django_capture_on_commit_callbacks):
    def counts():
        return (Account.objects.count(), Shipment.objects.count(), Charge.objects.count(), SendingPolicy.objects.count(),
                SpendAlert.objects.count(), Message.objects.count())

    before = counts()
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=StringIO())

    assert counts() == before


def test_the_demo_has_a_brand_with_quiet_hours_and_a_whatsapp_first_brand_with_fallback(demo):
    first, second = Brand.objects.for_account(demo).order_by("pk")

    assert policy_for(brand=first).quiet_hours.enabled
    fallback = policy_for(brand=second).fallback
    assert fallback.enabled and fallback.order[:2] == ("whatsapp", "sms")


def test_the_demos_spend_is_past_the_alert_and_close_to_the_cap(demo):
    state = spend.cap_state(account=demo, at=timezone.now())

    assert state.alerting and not state.reached
    assert get_policy().whatsapp_spend_decision(demo, timezone.now()) == "send"
    assert SpendAlert.objects.filter(account=demo, percent=80).count() == 1


def test_the_demos_usage_spend_and_charges_agree_this_month_and_last(demo):
    """Every demo charge is a WhatsApp message the shopper got: usage (messages accepted, what
    `GET /api/v1/usage/` and the Billing page show), the spend cap's total and the charges that
    `manage.py invoice` bills are the same money."""
    now = timezone.now()
    this_month = dt.datetime.combine(spend.month_of(now), dt.time(), tzinfo=dt.UTC)
    last_month = dt.datetime.combine(spend.month_of(this_month - dt.timedelta(days=1)), dt.time(), tzinfo=dt.UTC)

    assert not Charge.objects.filter(account=demo, message__isnull=True).exists()
    for start, end in ((last_month, this_month), (this_month, now)):
        charged = Charge.objects.filter(account=demo, created_at__gte=start, created_at__lt=end)
        used = usage(account=demo, start=start, end=end)
        assert used["by_channel"]["whatsapp"]["messages"] == charged.count() > 0
        assert used["amount"] == sum(charge.unit_price for charge in charged).quantize(Decimal("0.01"))
    assert spend.cap_state(account=demo, at=now).spent == sum(
        charge.unit_price for charge in Charge.objects.filter(account=demo, created_at__gte=this_month))
    delivered = Message.objects.filter(shipment__brand__account=demo, trigger_status="delivered", state=MessageState.READ)
    assert all(message.body and message.whatsapp_template for message in delivered)
    # Backdated like the rest: made before they were sent, their parcels before they were delivered.
    assert all(message.created_at < message.sent_at < message.delivered_at for message in delivered)
    assert all(m.shipment.created_at < m.shipment.status_at <= m.created_at for m in delivered.select_related("shipment"))
    # Their parcels' status entries are planned (never swept again) and count in the cost estimate.
    history = StatusEntry.objects.filter(shipment__in=delivered.values("shipment"))
    assert history.count() == 2 * delivered.count() and not history.filter(planned_at__isnull=True).exists()
    for brand in Brand.objects.filter(account=demo):  # every brand's history reaches every destination
        assert {str(c) for c in delivered.filter(brand=brand).values_list("shipment__to_country", flat=True)} == {
            country for country, *_ in DESTINATIONS}


def test_the_second_brand_announces_on_whatsapp_only_keeping_sms_and_email_for_the_fallback(demo):
    second = Brand.objects.for_account(demo).order_by("pk")[1]
    parcel = Shipment.objects.for_account(demo).get(recipient_phone__endswith="0000")
    Shipment.objects.filter(pk=parcel.pk).update(status="in_transit")

    plan_messages([(parcel.pk, "in_transit")])

    assert parcel.brand == second
    assert set(Message.objects.filter(shipment=parcel).values_list("channel", "state")) == {
        ("whatsapp", MessageState.QUEUED)}  # SMS and e-mail only as its fallback


def test_the_demo_has_a_stuck_parcel(demo):
    assert Shipment.objects.for_account(demo).filter(events__source=Source.PARCELCAST, status="delayed").exists()


def test_seeding_prints_the_logins_as_json_and_a_summary_line(plans, django_capture_on_commit_callbacks):
    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=out, stderr=err)

    account = json.loads(out.getvalue())["account"]
    assert err.getvalue().startswith(f"Seeded the demo account {account}, its admin, shipments, messages, charges in ")
    assert "\x1b" not in out.getvalue() + err.getvalue()


def test_the_demos_two_past_months_have_a_growing_shops_weekly_rhythm_for_the_forecast_to_learn(demo):
    this_month = spend.month_of(timezone.now())
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    month_before = (last_month - dt.timedelta(days=1)).replace(day=1)
    days = spend.daily_amounts(account=demo, first=month_before, last=this_month - dt.timedelta(days=1))
    by_weekday = {weekday: [amount for day, amount in days.items() if day.weekday() == weekday] for weekday in range(7)}

    charges = Charge.objects.filter(account=demo)
    assert charges.filter(created_at__date__gte=month_before, created_at__date__lt=last_month).count() == 165
    assert charges.filter(created_at__date__gte=last_month, created_at__date__lt=this_month).count() == 180
    assert not by_weekday[6]  # no deliveries on Sunday
    mean = {weekday: sum(amounts) / len(amounts) for weekday, amounts in by_weekday.items() if amounts}
    assert mean[0] > mean[3] > mean[5] > 0  # busy Mondays, light Saturdays
    assert len(set(by_weekday[0])) > 1  # each day a little off its weekday's level
