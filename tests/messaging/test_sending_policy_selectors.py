"""Reading policies: for dispatch many brands in one query, the defaults without a row; the account export."""

from datetime import time

import pytest

from messaging.account_data import erase, sending_policies
from messaging.models import SendingPolicy
from messaging.policy_rules.document import DEFAULT_POLICY
from messaging.policy_selectors import policies_for
from tests.factories import BrandFactory, SendingPolicyFactory

pytestmark = pytest.mark.django_db


def test_policies_of_many_brands_come_in_one_query(django_assert_num_queries):
    brands = BrandFactory.create_batch(4)
    SendingPolicyFactory(brand=brands[0], quiet_hours_enabled=True, quiet_hours_start=time(22, 0))
    SendingPolicyFactory(brand=brands[1], max_messages_per_shipment=3)

    with django_assert_num_queries(1):
        policies = policies_for([brand.pk for brand in brands])

    assert policies[brands[0].pk].quiet_hours.enabled and policies[brands[0].pk].quiet_hours.start == time(22, 0)
    assert policies[brands[1].pk].max_messages_per_shipment == 3
    assert policies[brands[2].pk] is DEFAULT_POLICY and policies[brands[3].pk] is DEFAULT_POLICY


def test_a_stored_policy_is_a_frozen_value():
    brand = BrandFactory()
    SendingPolicyFactory(brand=brand, fallback_order=["sms", "email"])

    policy = policies_for([brand.pk])[brand.pk]

    assert policy.fallback.order == ("sms", "email")
    with pytest.raises(AttributeError):
        policy.consolidation_seconds = 5  # frozen: dispatch may share one value across a batch


def test_no_brands_ask_the_database_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert policies_for([]) == {}


def test_the_account_export_holds_each_brands_policy_and_deletion_removes_them(account, outsider):
    changed, untouched = BrandFactory(account=account), BrandFactory(account=account)
    SendingPolicyFactory(brand=changed, max_messages_per_shipment=4)
    SendingPolicyFactory(brand=BrandFactory(account=outsider))

    exported = list(sending_policies(account))

    assert [(row["brand"], row["max_messages_per_shipment"]) for row in exported] == [(changed.pk, 4), (untouched.pk, None)]
    erase(account)
    assert not SendingPolicy.objects.for_account(account).exists()
    assert SendingPolicy.objects.for_account(outsider).exists()
