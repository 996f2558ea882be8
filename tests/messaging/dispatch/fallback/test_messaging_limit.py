"""Meta's messaging limit: the different shoppers one business portfolio may reach with
templates in 24 h. Past it a WhatsApp message takes the brand's fallback, or waits for room
(within its news window); a shopper reached already costs nothing more; a brand with its own
number counts in its own portfolio."""

import pytest

from messaging import whatsapp_reach
from messaging.models import MessageState
from tests.factories.messaging import WhatsAppSenderFactory
from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.fallback.conftest import REACHED, meta_accepts, of, policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(settings, whatsapp_cloud):
    """A platform portfolio that may reach 2 shoppers a day; Meta takes every send."""
    settings.WHATSAPP_MESSAGING_LIMIT = 2
    settings.CELERY_BROKER_URL = "memory://"  # the per-process count: each test starts from nothing
    whatsapp_reach.forget_all()
    meta_accepts(whatsapp_cloud)
    yield whatsapp_cloud
    whatsapp_reach.forget_all()


def shoppers(brand, count):
    # Endings 0000-0002 are the sandbox's magic numbers (failures, opt-out): not these.
    return [ShipmentFactory(brand=brand, recipient_phone=f"+3161234{n + 10:04d}", recipient_email=f"s{n}@example.com")
            for n in range(count)]


def test_past_the_limit_a_new_shopper_gets_the_brands_fallback_instead(brand, move, limited):
    first, second, third = shoppers(brand, 3)

    for shipment in (first, second, third):
        move(shipment, "out_for_delivery")

    assert of(first, "whatsapp").state in REACHED and of(second, "whatsapp").state in REACHED
    assert (of(third, "whatsapp").state, of(third, "whatsapp").error_code) == (MessageState.EXPIRED,
                                                                               "messaging_limit")
    assert of(third, "sms").state in REACHED and len(limited.calls) == 2


def test_without_a_fallback_the_message_waits_for_room(brand, move, limited):
    policy(brand, enabled=False)
    *firsts, third = shoppers(brand, 3)

    for shipment in (*firsts, third):
        move(shipment, "out_for_delivery")

    whatsapp = of(third, "whatsapp")
    assert (whatsapp.state, whatsapp.error_code) == (MessageState.SCHEDULED, "messaging_limit")
    assert of(third, "sms") is None


def test_a_shopper_reached_already_is_messaged_again_at_the_limit(brand, move, limited):
    first, second = shoppers(brand, 2)
    move(first, "out_for_delivery")
    move(second, "out_for_delivery")

    move(first, "delivered")

    assert of_status(first, "delivered").state in REACHED and len(limited.calls) == 3


def test_a_brand_with_its_own_number_counts_in_its_own_portfolio(account, brand, move, limited):
    for shipment in shoppers(brand, 2):  # the platform's portfolio is full...
        move(shipment, "out_for_delivery")
    WhatsAppSenderFactory(brand=brand, business_account_id="waba-own")

    assert whatsapp_reach.admit("waba-own", ["+31699999999"], limit=2) == {"+31699999999"}
    assert whatsapp_reach.admit("platform", ["+31699999999"], limit=2) == set()  # ...and stays full


def of_status(shipment, status):
    from messaging.models import Message

    return Message.objects.get(shipment=shipment, channel="whatsapp", trigger_status=status)
