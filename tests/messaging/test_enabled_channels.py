"""messaging.selectors.enabled_channels: what dispatch asks before planning messages."""

import pytest

from brands.models import Plan
from core.errors import RuleViolation
from messaging.selectors import enabled_channels
from messaging.services.notifications import (
    channel_country_add,
    channel_country_remove,
    channel_document_replace,
    channel_set_enabled,
    status_toggle_set,
)
from tests.factories import BrandFactory
from tests.factories.billing import plans  # noqa: F401 - fixture
from tests.factories.messaging import WhatsAppConsentFactory

pytestmark = pytest.mark.usefixtures("plans")


@pytest.fixture
def configured(brand):
    WhatsAppConsentFactory(account=brand.account)
    for channel in ("email", "sms", "whatsapp"):
        channel_document_replace(brand=brand, channel=channel, enabled=True, countries={"NL": {}})
    return brand


def test_channels_on_with_the_country_and_status_on_are_returned(configured):
    assert enabled_channels(configured, "NL", "delivered") == {"email", "sms", "whatsapp"}


def test_a_country_that_was_not_added_gets_nothing(configured):
    assert enabled_channels(configured, "BE", "delivered") == set()


def test_a_status_toggled_off_is_left_out(configured):
    status_toggle_set(brand=configured, channel="sms", country="NL", status="delivered", enabled=False)

    assert enabled_channels(configured, "NL", "delivered") == {"email", "whatsapp"}
    assert enabled_channels(configured, "NL", "in_transit") == {"email", "sms", "whatsapp"}


def test_a_switched_off_channel_is_left_out(configured):
    channel_set_enabled(brand=configured, channel="email", enabled=False)

    assert enabled_channels(configured, "NL", "delivered") == {"sms", "whatsapp"}


def test_adding_a_country_turns_all_its_statuses_on_and_removing_it_turns_them_off(configured):
    channel_country_add(brand=configured, channel="sms", country="BE")
    assert enabled_channels(configured, "BE", "post_purchase") == {"sms"}

    channel_country_remove(brand=configured, channel="sms", country="BE")
    assert enabled_channels(configured, "BE", "post_purchase") == set()


def test_a_toggle_of_a_country_not_added_is_refused(configured):
    with pytest.raises(RuleViolation) as refused:
        status_toggle_set(brand=configured, channel="sms", country="BE", status="delivered", enabled=True)

    assert refused.value.code == "country_not_added"


def test_whatsapp_is_left_out_when_the_plan_no_longer_includes_it(configured):
    configured.account.plan = Plan.FREE  # changed behind the validators' back, e.g. in the admin
    configured.account.save()

    assert enabled_channels(configured, "NL", "delivered") == {"email", "sms"}


def test_a_shipments_country_field_value_is_understood(configured):
    from tracking.models import Shipment

    shipment = Shipment(brand=configured, carrier="dhl", tracking_number="X1", to_country="NL")

    assert enabled_channels(configured, shipment.to_country, "delivered") == {"email", "sms", "whatsapp"}


def test_other_brands_settings_do_not_leak_in(configured):
    other = BrandFactory(account=configured.account)

    assert enabled_channels(other, "NL", "delivered") == set()


def test_enabled_channels_costs_one_query_without_whatsapp(brand, django_assert_num_queries):
    channel_document_replace(brand=brand, channel="email", enabled=True, countries={"NL": {}})

    with django_assert_num_queries(1):
        assert enabled_channels(brand, "NL", "delivered") == {"email"}
