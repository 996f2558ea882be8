"""The grid's bulk writes and the cost estimate (messaging.services.notification_grid,
messaging.cost_estimate): one write each, audited, refused as a whole with every field named."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from brands.models import AuditEvent
from core.errors import RuleViolation
from messaging.cost_estimate import monthly_cost_estimate
from messaging.regions import REGIONS
from messaging.selectors import channel_document
from messaging.services.notification_grid import channel_copy_from, channel_countries_add, status_toggles_set
from messaging.services.notifications import channel_document_replace
from tests.factories import BrandFactory, ShipmentFactory, StatusEntryFactory
from tracking.models import StatusEntry
from tracking.statuses import ALL_CODES

pytestmark = pytest.mark.django_db
ESSENTIALS = {"out_for_delivery", "delivery_failed", "ready_for_pickup", "delivered"}


def on(document, country):
    return {status for status, enabled in document.countries[country].items() if enabled}


def test_every_region_holds_real_country_codes():
    from django_countries import countries

    for code, (_, members) in REGIONS.items():
        assert members and all(member in countries for member in members), code


def test_a_region_and_countries_are_added_in_one_audited_write(brand):
    document = channel_countries_add(brand=brand, channel="sms", region="benelux", countries=["DE", "NL"])

    assert set(document.countries) == {"BE", "LU", "NL", "DE"}
    assert on(document, "BE") == set(ALL_CODES)  # SMS starts with every status
    assert AuditEvent.objects.filter(account=brand.account, action="notifications.update").count() == 1


def test_a_new_whatsapp_country_starts_with_the_essentials_unless_told(account, brand):
    account.plan = "growth"
    account.save()
    document = channel_countries_add(brand=brand, channel="whatsapp", countries=["NL"])
    assert on(document, "NL") == ESSENTIALS

    document = channel_countries_add(brand=brand, channel="whatsapp", countries=["BE"], statuses=["delivered"])
    assert on(document, "BE") == {"delivered"}
    assert on(document, "NL") == ESSENTIALS  # countries already there keep their choices


def test_bad_countries_region_and_statuses_are_named_together_and_nothing_is_saved(brand):
    with pytest.raises(RuleViolation) as refused:
        channel_countries_add(brand=brand, channel="sms", region="mars", countries=["XX", "NL"], statuses=["teleported"])

    fields = {violation.field for violation in refused.value.violations}
    assert fields == {"region", "countries", "statuses"}
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in str(refused.value.violations)
    assert channel_document(brand=brand, channel="sms").countries == {}


def test_nothing_chosen_is_refused_naming_countries(brand):
    with pytest.raises(RuleViolation) as refused:
        channel_countries_add(brand=brand, channel="sms")
    assert refused.value.field == "countries"


def test_a_row_a_column_and_the_whole_channel_switch_at_once(brand):
    channel_document_replace(brand=brand, channel="email", enabled=True, countries={"NL": {}, "BE": {}})

    document = status_toggles_set(brand=brand, channel="email", statuses=["delivered"], enabled=False)
    assert not document.countries["NL"]["delivered"] and not document.countries["BE"]["delivered"]
    assert document.countries["NL"]["in_transit"]

    document = status_toggles_set(brand=brand, channel="email", countries=["BE"], enabled=False)
    assert on(document, "BE") == set() and on(document, "NL") == set(ALL_CODES) - {"delivered"}

    document = status_toggles_set(brand=brand, channel="email", enabled=True)
    assert on(document, "BE") == on(document, "NL") == set(ALL_CODES)


def test_a_column_of_a_country_not_added_is_refused(brand):
    channel_document_replace(brand=brand, channel="email", enabled=True, countries={"NL": {}})
    with pytest.raises(RuleViolation) as refused:
        status_toggles_set(brand=brand, channel="email", countries=["FR"], enabled=False)
    assert refused.value.field == "countries" and "FR" in refused.value.message


def test_copy_gives_the_source_countries_and_keeps_the_switch(account, brand):
    account.plan = "lite"
    account.save()
    source = BrandFactory(account=account)
    channel_document_replace(brand=source, channel="email", enabled=True, countries={"FR": {"delivered": False}})

    document = channel_copy_from(brand=brand, channel="email", source=source)

    assert document.countries == channel_document(brand=source, channel="email").countries
    assert not document.enabled  # the switch stays as it was


def test_copy_from_another_account_is_refused(brand, outsider):
    foreign = BrandFactory(account=outsider)
    channel_document_replace(brand=foreign, channel="sms", enabled=True, countries={"FR": {}})
    with pytest.raises(RuleViolation) as refused:
        channel_copy_from(brand=brand, channel="sms", source=foreign)
    assert refused.value.field == "source"
    assert channel_document(brand=brand, channel="sms").countries == {}


def test_the_estimate_counts_what_the_toggles_would_have_sent_in_30_days(account, brand, django_assert_num_queries):
    account.plan = "growth"  # EUR 0.14 per WhatsApp message
    account.save()
    channel_document_replace(brand=brand, channel="whatsapp", enabled=False,
                             countries={"NL": {"in_transit": False}, "BE": {}})
    for status in ("in_transit", "delivered", "delivered"):
        StatusEntryFactory(shipment=ShipmentFactory(brand=brand, to_country="NL"), status=status)
    StatusEntryFactory(shipment=ShipmentFactory(brand=brand, to_country="BE"), status="delivered")
    StatusEntryFactory(shipment=ShipmentFactory(brand=brand, to_country="FR"), status="delivered")  # not added
    old = StatusEntryFactory(shipment=ShipmentFactory(brand=brand, to_country="BE"), status="delivered")
    StatusEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    StatusEntryFactory(shipment=ShipmentFactory(brand=BrandFactory(account=account), to_country="NL"), status="delivered")
    document = channel_document(brand=brand, channel="whatsapp")

    with django_assert_num_queries(2):  # the price, then one aggregate over the status entries
        estimate = monthly_cost_estimate(brand=brand, document=document)

    assert estimate.messages == 3 and estimate.entries == 5
    assert estimate.amount == Decimal("0.42") and estimate.currency == "EUR"


def test_no_estimate_for_a_channel_not_billed_per_message(brand):
    assert monthly_cost_estimate(brand=brand, document=channel_document(brand=brand, channel="sms")) is None
