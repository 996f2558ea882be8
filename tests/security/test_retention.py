"""Shopper details of finished shipments are erased after the account's retention period; what
billing needs (messages' states, prices, charges) stays."""

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from billing.models import Charge
from config.beat import BEAT_SCHEDULE
from messaging import tasks
from messaging.models import Message, MessageState, WhatsAppUser
from messaging.retention import purge_recipients
from tests.factories import AccountFactory, BrandFactory, ChargeFactory, MessageFactory, ShipmentFactory
from tests.factories.messaging import WhatsAppUserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def finished(brand, *, days_ago, status="delivered", **fields):
    shipment = ShipmentFactory(brand=brand, status=status, status_at=NOW - timedelta(days=days_ago), **fields)
    message = MessageFactory(shipment=shipment, channel="whatsapp", trigger_status=status, state=MessageState.READ,
                             subject="", body="Hi Sanne, delivered", html="<p>Hi Sanne</p>",
                             whatsapp_parameters=["Sanne", "A-1"], price=Decimal("0.14"), currency="EUR")
    return shipment, message


def test_terminal_shipments_past_the_period_lose_their_shoppers_details(brand):
    old, old_message = finished(brand, days_ago=91)
    ChargeFactory(account=brand.account, brand=brand, message=old_message)
    recent, _ = finished(brand, days_ago=30)
    travelling = ShipmentFactory(brand=brand, status="in_transit", status_at=NOW - timedelta(days=200))

    result = purge_recipients(now=NOW)

    old.refresh_from_db()
    old_message.refresh_from_db()
    assert (old.recipient_name, old.recipient_phone, old.recipient_email, old.to_postal_code) == ("", "", "", "")
    assert (old_message.recipient, old_message.body, old_message.html, old_message.subject) == ("", "", "", "")
    assert old_message.whatsapp_parameters == []
    # kept for billing and statistics
    assert old_message.state == MessageState.READ and old_message.price == Decimal("0.14")
    assert Charge.objects.filter(message=old_message).count() == 1
    assert old.tracking_number and old.order_number
    # not finished long enough, or not finished at all: untouched
    for shipment in (recent, travelling):
        shipment.refresh_from_db()
        assert shipment.recipient_phone == "+31612345678"
    assert result.shipments == 1 and result.messages == 1


def test_each_account_has_its_own_retention_period():
    short = BrandFactory(account=AccountFactory(retention_days=7))
    long = BrandFactory(account=AccountFactory(retention_days=365))
    a, _ = finished(short, days_ago=8, status="return_received")
    b, _ = finished(long, days_ago=100)

    purge_recipients(now=NOW)

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.recipient_email == "" and b.recipient_email == "sanne@example.com"


def test_the_command_and_the_daily_task_purge_and_a_rerun_finds_nothing(brand):
    finished(brand, days_ago=120)
    out = StringIO()
    err = StringIO()
    call_command("purge_recipients", stdout=out, stderr=err)
    assert json.loads(out.getvalue()) == {"shipments": 1, "messages": 1, "inbound": 0, "conversations": 0,
                                          "whatsapp_user_ids": 0}
    assert err.getvalue().startswith(
        "Purged 1 shipments, 1 messages, 0 inbound messages, 0 conversations and 0 WhatsApp user ids in ")
    assert "\x1b" not in err.getvalue()
    assert tasks.purge_recipients() == 0
    assert Message.objects.filter(recipient="").count() == 1
    assert BEAT_SCHEDULE["purge-recipients"]["task"] == "messaging.tasks.purge_recipients"


def test_the_owner_sets_the_retention_period_through_the_api(api, account):
    response = api.patch("/api/v1/account/", {"retention_days": 30}, format="json")
    assert response.status_code == 200 and response.json()["retention_days"] == 30
    account.refresh_from_db()
    assert account.retention_days == 30
    for bad in (0, 5000, "soon", None):
        response = api.patch("/api/v1/account/", {"retention_days": bad}, format="json")
        assert response.status_code == 400 and "retention_days" in response.json()


def test_whatsapp_user_ids_unseen_for_longer_than_any_accounts_retention_are_purged(brand):
    AccountFactory(retention_days=180)  # the longest period of any account: pairs are platform-wide
    WhatsAppUserFactory(user_id="US.1", phone="+31611111111", seen_at=NOW - timedelta(days=181))
    WhatsAppUserFactory(user_id="US.2", phone="+31622222222", seen_at=NOW - timedelta(days=179))

    result = purge_recipients(now=NOW)

    assert result.identities == 1
    assert list(WhatsAppUser.objects.values_list("user_id", flat=True)) == ["US.2"]
