"""Deleting a brand (brands.services.brand_delete): everything it would still do stops, what
billing and retention need stays."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.invoicing import invoice_period
from billing.models import Charge, Invoice
from billing.periods import Period
from brands import services
from brands.audit import Actor
from brands.brand_deletion import deletion_impact
from brands.models import AuditEvent, Brand
from messaging.dispatch import sending
from messaging.models import Message, MessageState, WhatsAppSender
from messaging.retention import purge_account
from tests.factories import BrandFactory, ChargeFactory, MessageFactory, ShipmentFactory
from tests.factories.billing import plans, vat_rates  # noqa: F401 - fixtures
from tests.factories.messaging import WhatsAppSenderFactory
from tests.factories.shopper_requests import ShopperAskFactory
from tracking.models import Shipment

pytestmark = pytest.mark.django_db


def delete(brand, **kwargs):
    return services.brand_delete(account=brand.account, brand=brand, actor=Actor(label="owner@acme.example"),
                                 **kwargs)


@pytest.fixture
def polled(brand):
    return ShipmentFactory(brand=brand, status="in_transit", next_poll_at=timezone.now() + timedelta(minutes=5))


def test_waiting_messages_are_suppressed_with_brand_deleted(brand, polled):
    # given
    now = timezone.now()
    queued = MessageFactory(shipment=polled, state=MessageState.QUEUED)
    held = MessageFactory(shipment=polled, channel="email", state=MessageState.SCHEDULED, not_before=now + timedelta(hours=8))
    in_flight = MessageFactory(shipment=polled, channel="whatsapp", state=MessageState.QUEUED,
                               claimed_until=now + timedelta(minutes=5))
    sent = MessageFactory(shipment=polled, trigger_status="in_transit", state=MessageState.SENT)
    other = MessageFactory(shipment=ShipmentFactory(brand=BrandFactory(account=brand.account)), state=MessageState.QUEUED)

    # when
    counts = delete(brand, now=now)

    # then
    states = dict(Message.objects.values_list("pk", "state"))
    assert states[queued.pk] == states[held.pk] == MessageState.SUPPRESSED
    assert Message.objects.get(pk=queued.pk).error_code == "brand_deleted"
    # in the provider's hands already: it ends as the provider answers
    assert (states[in_flight.pk], states[sent.pk], states[other.pk]) == ("queued", "sent", "queued")
    assert counts["messages_suppressed"] == 2


def test_its_shipments_stop_polling(brand, polled):
    elsewhere = ShipmentFactory(brand=BrandFactory(account=brand.account), next_poll_at=timezone.now())

    delete(brand)

    polled.refresh_from_db()
    elsewhere.refresh_from_db()
    assert polled.next_poll_at is None and elsewhere.next_poll_at is not None


def test_a_poll_in_flight_when_the_brand_is_deleted_does_not_schedule_another(brand, polled):
    from unittest import mock

    from tracking import polling

    real_fetch = polling._fetch

    def deleted_while_asking(*args, **kwargs):
        delete(brand)
        return real_fetch(*args, **kwargs)

    with mock.patch.object(polling, "_fetch", side_effect=deleted_while_asking):
        polling.poll_batch("sandbox", [polled.pk], now=timezone.now())

    polled.refresh_from_db()
    assert polled.next_poll_at is None and polled.last_polled_at is None


def test_charges_stay_and_the_months_invoice_bills_them_under_the_brands_name(account, brand, vat_rates):  # noqa: F811
    # given: charges of March, the brand deleted on 20 March
    march = Period.parse("2026-03")
    for _ in range(3):
        ChargeFactory(account=account, brand=brand, unit_price=Decimal("0.14"),
                      created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    delete(brand, now=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))

    # when
    invoice_period(period=march, now=dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC))

    # then
    invoice = Invoice.objects.get(account=account)
    assert list(invoice.lines.values_list("brand_name", "quantity", "amount")) == [("Acme", 3, Decimal("0.42"))]
    assert invoice.net == Decimal("0.42")
    assert Charge.objects.filter(brand=brand, invoice_line__isnull=False).count() == 3


def test_its_tracking_page_and_lookup_page_answer_the_shoppers_404(client, brand, polled):
    assert client.get(f"/track/{polled.tracking_token}/").status_code == 200

    delete(brand)

    page = client.get(f"/track/{polled.tracking_token}/")
    assert page.status_code == 404 and "shopper/not_found.html" in [t.name for t in page.templates]
    assert client.get(f"/track/b/{brand.slug}/").status_code == 404


def test_its_slug_is_free_for_a_new_brand(account, brand):
    delete(brand)

    again = services.brand_create(account=account, name="Acme again", slug="acme")

    assert again.slug == "acme" and Brand.objects.filter(slug="acme").count() == 2
    with pytest.raises(ValidationError) as refused:  # among brands that are not deleted, still unique
        services.brand_create(account=account, name="Third", slug="acme")
    assert "slug" in refused.value.message_dict


def test_an_audit_event_records_who_deleted_it_and_what_stopped(account, brand, polled):
    MessageFactory(shipment=polled, state=MessageState.QUEUED)

    delete(brand)

    event = AuditEvent.objects.for_account(account).get(action="brand.delete")
    assert event.actor_label == "owner@acme.example" and event.object_id == str(brand.pk)
    assert event.details["before"] == {"name": "Acme", "slug": "acme"}
    assert event.details["messages_suppressed"] == 1 and event.details["polling_stopped"] == 1


def test_the_brand_and_everything_of_it_are_hidden_from_the_account(account, brand, polled):
    message = MessageFactory(shipment=polled)

    delete(brand)

    assert not Brand.objects.for_account(account).exists()
    assert not Shipment.objects.for_account(account).exists()
    assert not Message.objects.for_account(account).exists()
    # ...but still there for the export, the account's deletion and the retention job
    assert Message.objects.for_account(account, include_deleted_brands=True).get() == message
    assert Brand.objects.get(pk=brand.pk).deleted_at is not None


def test_its_own_whatsapp_number_is_disconnected(brand):
    WhatsAppSenderFactory(brand=brand)

    counts = delete(brand)

    assert not WhatsAppSender.objects.filter(brand=brand).exists()
    assert counts["whatsapp_sender_disconnected"] == 1


def test_a_question_due_is_not_asked(brand, polled):
    ask = ShopperAskFactory(shipment=polled)

    delete(brand)

    ask.refresh_from_db()
    assert ask.due_at is None


def test_outbound_webhooks_no_longer_listen_for_it(account, brand, django_capture_on_commit_callbacks):
    from tests.factories import WebhookEndpointFactory
    from webhooks_out.events import listening
    from webhooks_out.models import EventType

    WebhookEndpointFactory(account=account)
    assert listening(EventType.SHIPMENT_STATUS_CHANGED, {brand.pk}) == {brand.pk}

    with django_capture_on_commit_callbacks(execute=True):
        delete(brand)

    assert listening(EventType.SHIPMENT_STATUS_CHANGED, {brand.pk}) == set()


def test_a_sender_suppresses_a_message_planned_just_before_the_deletion(brand, polled):
    delete(brand)
    late = MessageFactory(shipment=polled, trigger_status="in_transit", state=MessageState.QUEUED)  # a planner that read the brand before

    outcome = sending.send_batch([late.pk], now=timezone.now())[late.pk]

    late.refresh_from_db()
    assert outcome.state == late.state == MessageState.SUPPRESSED and late.error_code == "brand_deleted"
    assert late.sent_at is None


def test_the_retention_job_purges_its_shipments_once_the_period_has_passed_since_the_deletion(account, brand, polled):
    delete(brand, now=timezone.now() - timedelta(days=account.retention_days + 1))
    recent = BrandFactory(account=account)
    delete(recent)
    kept = ShipmentFactory(brand=recent, status="in_transit")

    purge_account(account=account)

    polled.refresh_from_db()
    kept.refresh_from_db()
    assert (polled.recipient_name, polled.recipient_phone, polled.recipient_email) == ("", "", "")
    assert kept.recipient_name == "Sanne de Vries"


def test_the_accounts_last_brand_can_be_deleted(account, brand):
    delete(brand)

    assert not Brand.objects.for_account(account).exists()


def test_a_deleted_or_foreign_brand_cannot_be_deleted(account, brand, outsider):
    delete(brand)
    with pytest.raises(Brand.DoesNotExist):
        delete(brand)
    foreign = BrandFactory(account=outsider)
    with pytest.raises(Brand.DoesNotExist):
        services.brand_delete(account=account, brand=foreign)
    foreign.refresh_from_db()
    assert foreign.deleted_at is None


def test_the_impact_counts_parcels_in_transit_waiting_messages_and_this_months_charges(account, brand, polled):
    now = timezone.now()
    ShipmentFactory(brand=brand, status="delivered")
    MessageFactory(shipment=polled, state=MessageState.QUEUED)
    MessageFactory(shipment=polled, channel="email", state=MessageState.SCHEDULED, not_before=now)
    ShopperAskFactory(shipment=polled)
    ChargeFactory(account=account, brand=brand, unit_price=Decimal("0.1400"), created_at=now)
    ChargeFactory(account=account, brand=brand, unit_price=Decimal("0.1400"), created_at=now)
    ChargeFactory(account=account, brand=brand, unit_price=Decimal("0.1400"), created_at=now - timedelta(days=40))

    impact = deletion_impact(brand, now=now)

    assert (impact.shipments_in_transit, impact.messages_pending) == (1, 3)
    assert (impact.charges_this_month, impact.currency) == (Decimal("0.28"), "EUR")


def test_the_export_still_holds_a_deleted_brand_and_the_accounts_deletion_erases_it(account, brand, polled):
    import json

    from brands.account_data import account_delete, account_export_chunks

    delete(brand)
    export = json.loads("".join(account_export_chunks(account)))
    assert [b["slug"] for b in export["brands"]] == ["acme"] and export["brands"][0]["deleted_at"]
    assert [s["id"] for s in export["shipments"]] == [polled.pk]

    account_delete(account=account, confirm=account.company_name)

    assert not Shipment.objects.filter(pk=polled.pk).exists()
    assert not Brand.objects.filter(pk=brand.pk).exists()


def test_admins_still_see_a_deleted_brand_and_when_it_was_deleted(admin_client, brand):
    delete(brand)

    listing = admin_client.get("/admin/brands/brand/?deleted_at__isempty=0")

    assert listing.status_code == 200 and "Acme" in listing.content.decode()
    assert admin_client.get(f"/admin/brands/brand/{brand.pk}/change/").status_code == 200
