"""The order lookup (`/track/b/<slug>/`) under an enumeration attack: the brand's miss budget,
once spent, holds back the addresses that missed, never a shopper who types the right order
number and postal code, and a refusal never depends on what was typed."""

from unittest import mock

import pytest

from tests.factories import BrandFactory, ShipmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_from_scratch")]

RIGHT = {"order_number": "A-1", "postal_code": "1012 AB"}


@pytest.fixture
def parcel(brand):
    return ShipmentFactory(brand=brand, order_number="A-1", to_postal_code="1012 AB")


@pytest.fixture
def small_budgets(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "tracking_lookup_brand_misses": "4/h",
                               "tracking_lookup_address_misses": "2/h"}


def lookup(client, data, address):
    return client.post("/track/b/acme/", data, REMOTE_ADDR=address)


def spend_the_brands_miss_budget(client, attackers=("192.0.2.1", "192.0.2.2")):
    for n in range(4):
        response = lookup(client, {"order_number": f"B-{n}", "postal_code": "1012 AB"}, attackers[n % len(attackers)])
        assert response.status_code == 200  # "not found", not yet refused


def test_a_right_lookup_is_answered_after_other_addresses_spent_the_brands_miss_budget(
        client, parcel, small_budgets):
    spend_the_brands_miss_budget(client)

    response = lookup(client, RIGHT, "198.51.100.7")

    assert response.status_code == 302
    assert response.url == f"/track/{parcel.tracking_token}/"


def test_addresses_that_missed_are_refused_while_the_brands_miss_budget_is_spent(client, parcel, small_budgets):
    spend_the_brands_miss_budget(client)

    wrong = lookup(client, {"order_number": "B-9", "postal_code": "1012 AB"}, "192.0.2.1")
    right = lookup(client, RIGHT, "192.0.2.1")

    # then: refused whatever was typed, with the same answer: a refusal reveals nothing
    assert wrong.status_code == right.status_code == 429
    assert wrong.content == right.content
    assert int(right["Retry-After"]) >= 1


def test_a_refused_lookup_never_reads_the_shipments(client, parcel, small_budgets):
    spend_the_brands_miss_budget(client)

    with mock.patch("tracking.views.selectors.shipment_for_order") as search:
        assert lookup(client, RIGHT, "192.0.2.1").status_code == 429

    # the answer (and its timing) cannot depend on whether the combination exists
    search.assert_not_called()


def test_a_new_address_gets_a_few_misses_while_the_brand_is_under_attack(client, parcel, small_budgets):
    spend_the_brands_miss_budget(client)
    shopper = "198.51.100.8"

    # a shopper who mistypes twice still sees "not found", then gets it right
    for _ in range(2):
        assert lookup(client, {"order_number": "A-1", "postal_code": "9999 ZZ"}, shopper).status_code == 200
    assert lookup(client, {"order_number": "A-2", "postal_code": "1012 AB"}, "198.51.100.9").status_code == 200
    assert lookup(client, RIGHT, "198.51.100.9").status_code == 302
    # past the allowance, that address waits
    assert lookup(client, RIGHT, shopper).status_code == 429


def test_an_address_may_miss_more_than_the_allowance_while_the_brand_is_not_under_attack(client, parcel, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "tracking_lookup_address_misses": "2/h"}

    for n in range(5):
        assert lookup(client, {"order_number": f"B-{n}", "postal_code": "1"}, "198.51.100.10").status_code == 200
    assert lookup(client, RIGHT, "198.51.100.10").status_code == 302


def test_the_allowance_counts_per_brand(client, parcel, small_budgets):
    other = BrandFactory(slug="other")
    for n in range(3):
        client.post(f"/track/b/{other.slug}/", {"order_number": f"B-{n}", "postal_code": "1"},
                    REMOTE_ADDR="192.0.2.50")
    spend_the_brands_miss_budget(client)

    # misses at another brand do not use up this brand's allowance
    assert lookup(client, RIGHT, "192.0.2.50").status_code == 302


def test_seventeen_addresses_at_the_production_rates_cannot_lock_a_shopper_out(client, parcel, settings):
    # the defaults of config/settings.py (the test settings lift every limit)
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "tracking_lookup": "20/m",
                               "tracking_lookup_brand_misses": "300/h", "tracking_lookup_address_misses": "5/h"}
    # the reported attack: 17 addresses, each just under its per-address rate, spend the brand's budget
    for n in range(17 * 18):
        lookup(client, {"order_number": f"B-{n}", "postal_code": "1012 AB"}, f"192.0.2.{n % 17}")
    assert lookup(client, {"order_number": "B-x", "postal_code": "1"}, "192.0.2.3").status_code == 429

    assert lookup(client, RIGHT, "198.51.100.7").status_code == 302
