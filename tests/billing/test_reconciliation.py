"""Pricing reconciliation: Meta's `pricing` of status webhooks stored per message (newest word,
in bulk), and the admin report (and CSV) listing only the messages whose Meta pricing disagrees
with what the merchant was charged."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from billing import reconciliation
from messaging.models import MessagePricing, MessageState
from tests.factories.billing import ChargeFactory
from tests.factories.messaging import MessageFactory, MessagePricingFactory
from tests.messaging.dispatch.test_webhook_views import envelope, signed_post, webhook_settings  # noqa: F401

pytestmark = pytest.mark.django_db

REPORT = "/admin/billing/charge/reconciliation/"


def whatsapp_message(**extra):
    return MessageFactory(**{"channel": "whatsapp", "state": MessageState.SENT, "whatsapp_template": "pc_delivered_v2",
                             **extra})


def charged(message, price="0.1400"):
    return ChargeFactory(account=message.brand.account, brand=message.brand, message=message,
                         unit_price=Decimal(price))


def priced(message, **pricing):
    return MessagePricingFactory(message=message, **pricing)


def status(message, state, ts, **pricing):
    return {"id": message.provider_message_id, "status": state, "timestamp": ts, "recipient_id": "31612345678",
            "biz_opaque_callback_data": str(message.pk),
            "pricing": {"billable": True, "pricing_model": "PMP", "category": "utility", "type": "regular", **pricing}}


# --- storing Meta's word ----------------------------------------------------------------------


def test_a_status_webhook_stores_metas_pricing_on_the_message(client):
    message = whatsapp_message(provider_message_id="wamid.P1")

    signed_post(client, envelope([status(message, "delivered", "1763629200", category="marketing")]))

    stored = MessagePricing.objects.get(message=message)
    assert (stored.billable, stored.pricing_model, stored.category, stored.pricing_type) == (
        True, "PMP", "marketing", "regular")


def test_the_newest_word_is_kept_whatever_order_the_webhooks_come_in(client):
    message = whatsapp_message(provider_message_id="wamid.P1")
    newer = status(message, "read", "1763629300", billable=False, type="free_customer_service")
    older = status(message, "delivered", "1763629200")

    signed_post(client, envelope([newer]))
    signed_post(client, envelope([older]))  # a late retry of an older status

    stored = MessagePricing.objects.get(message=message)
    assert stored.billable is False and stored.pricing_type == "free_customer_service"


def test_within_one_batch_the_latest_status_wins(client):
    message = whatsapp_message(provider_message_id="wamid.P1")

    signed_post(client, envelope([status(message, "read", "1763629300", category="marketing"),
                                  status(message, "sent", "1763629100", category="utility")]))

    assert MessagePricing.objects.get(message=message).category == "marketing"


def test_a_status_without_pricing_stores_nothing(client):
    message = whatsapp_message(provider_message_id="wamid.P1")
    item = status(message, "read", "1763629300")
    del item["pricing"]

    signed_post(client, envelope([item]))

    assert not MessagePricing.objects.exists()


# --- the report ---------------------------------------------------------------------------------


@pytest.fixture
def ledger():
    """One message per case: three that agree, three that disagree."""
    agree_utility = whatsapp_message()
    charged(agree_utility), priced(agree_utility)
    agree_free_not_charged = whatsapp_message()
    priced(agree_free_not_charged, billable=False, pricing_type="free_customer_service")
    agree_no_word = whatsapp_message()
    charged(agree_no_word)  # no webhook with pricing yet: nothing to reconcile
    marketing = whatsapp_message()
    charged(marketing), priced(marketing, category="marketing")
    free_but_charged = whatsapp_message()
    charged(free_but_charged), priced(free_but_charged, billable=False, pricing_type="free_customer_service")
    billable_not_charged = whatsapp_message(state=MessageState.EXPIRED)
    priced(billable_not_charged)
    return {"marketing": marketing, "free_but_charged": free_but_charged, "billable_not_charged": billable_not_charged}


def test_the_report_lists_only_the_disagreements_with_their_reasons(ledger):
    found = {item.message.pk: item.reasons for item in reconciliation.explain(reconciliation.disagreements())}

    assert found == {
        ledger["marketing"].pk: ("category_differs",),
        ledger["free_but_charged"].pk: ("charged_but_free",),
        ledger["billable_not_charged"].pk: ("billable_not_charged",),
    }


def test_a_message_charged_as_utility_that_meta_priced_as_marketing_is_listed(ledger):
    rows = reconciliation.disagreements(reason="category_differs")

    assert [row.message_id for row in rows] == [ledger["marketing"].pk]


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("admin@parcelcast.test", "admin@parcelcast.test", "pw")
    client.force_login(admin)
    return client


def test_the_admin_report_shows_the_disagreements_and_filters_by_reason(admin_client, ledger):
    everything = admin_client.get(REPORT)
    marketing_only = admin_client.get(REPORT + "?reason=category_differs")

    assert everything.status_code == 200
    assert {item.message.pk for item in everything.context["items"]} == {m.pk for m in ledger.values()}
    assert [item.message.pk for item in marketing_only.context["items"]] == [ledger["marketing"].pk]
    assert "Charged as utility, but Meta priced it in another category" in marketing_only.content.decode()


def test_the_csv_holds_one_row_per_disagreement(admin_client, ledger):
    response = admin_client.get("/admin/billing/charge/reconciliation.csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert {int(row["message_id"]): row["reasons"] for row in rows} == {
        ledger["marketing"].pk: "category_differs",
        ledger["free_but_charged"].pk: "charged_but_free",
        ledger["billable_not_charged"].pk: "billable_not_charged",
    }
    marketing = next(row for row in rows if int(row["message_id"]) == ledger["marketing"].pk)
    assert (marketing["charged_unit_price"], marketing["meta_category"]) == ("0.1400", "marketing")


def test_the_month_filter_keeps_messages_of_that_month(admin_client, ledger):
    this_month = timezone.now().strftime("%Y-%m")

    assert len(admin_client.get(REPORT + f"?month={this_month}").context["items"]) == 3
    assert admin_client.get(REPORT + "?month=2001-01").context["items"] == []


def test_the_report_is_for_staff_only(client, member, ledger):
    client.force_login(member)

    assert client.get(REPORT).status_code == 302  # to the admin login
    assert client.get("/admin/billing/charge/reconciliation.csv").status_code == 302
