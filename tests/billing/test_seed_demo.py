"""`manage.py seed_demo`: the demo shows the send decisions of issue 15 (a brand with quiet
hours, a WhatsApp-first brand falling back to SMS for a shopper not on WhatsApp, a spend cap near
its limit, a stuck parcel), and a second run changes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing import spend
from billing.models import Charge
from billing.spend_models import SpendAlert
from brands.models import Account, Brand
from messaging.dispatch.planning import plan_messages
from messaging.models import Message, MessageState, SendingPolicy
from messaging.policy import get_policy
from messaging.policy_selectors import policy_for
from tracking.models import Shipment, Source

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
