"""Tracking messages > Sending policy: the brand's policy on one form, saved through the service."""

from datetime import time

import pytest
from django.urls import reverse

from brands.models import AuditEvent
from messaging.models import SendingPolicy
from messaging.policy_rules.document import DEFAULT_POLICY
from messaging.policy_selectors import policy_for
from tests.factories import BrandFactory, SendingPolicyFactory

pytestmark = pytest.mark.django_db

FORM = {
    "quiet_hours_enabled": "on", "quiet_hours_start": "22:00", "quiet_hours_end": "07:30",
    "quiet_hours_except": ["delivered", "delivery_failed"],
    "fallback_enabled": "on", "fallback_order_0": "whatsapp", "fallback_order_1": "sms", "fallback_order_2": "",
    "fallback_after_minutes": "45", "max_messages_per_shipment": "5", "consolidation_seconds": "600",
    "ready_to_ship": "first_scan",
}


def url(brand):
    return reverse("panel:notifications-policy", args=[brand.pk])


def test_the_page_shows_the_defaults_of_a_brand_that_never_changed_them(panel, brand):
    response = panel.get(url(brand))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sending policy" in page and 'value="21:00"' in page and 'placeholder="No limit"' in page
    assert response.context["summary"][0] == ("Quiet hours", "Off", False)


def test_the_channel_pages_link_to_the_sending_policy(panel, brand):
    response = panel.get(reverse("panel:notifications", args=[brand.pk, "email"]))

    assert url(brand) in response.content.decode()


def test_saving_the_form_stores_the_policy_and_says_so(panel, brand):
    response = panel.post(url(brand), FORM, follow=True)

    assert response.redirect_chain[-1][0] == url(brand)
    assert "Sending policy saved." in response.content.decode()
    policy = policy_for(brand=brand)
    assert policy.quiet_hours.enabled and policy.quiet_hours.start == time(22, 0)
    assert policy.quiet_hours.except_statuses == {"delivered", "delivery_failed"}
    assert policy.fallback.order == ("whatsapp", "sms") and policy.fallback.after_minutes == 45
    assert (policy.max_messages_per_shipment, policy.consolidation_seconds, policy.ready_to_ship) == (5, 600, "first_scan")


def test_an_empty_cap_means_no_cap_and_switches_left_off_are_off(panel, brand):
    panel.post(url(brand), {**FORM, "max_messages_per_shipment": "", "quiet_hours_enabled": "", "fallback_enabled": ""})

    policy = policy_for(brand=brand)
    assert policy.max_messages_per_shipment is None
    assert not policy.quiet_hours.enabled and not policy.fallback.enabled


def test_bad_fields_are_shown_beside_each_field_and_nothing_is_saved(panel, brand):
    SendingPolicyFactory(brand=brand, max_messages_per_shipment=3)
    bad = {**FORM, "fallback_order_1": "whatsapp", "max_messages_per_shipment": "80", "consolidation_seconds": "soon"}

    response = panel.post(url(brand), bad)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert "Name each channel once." in page
    assert "got 80" in page and "Give a whole number from 0 to 86400." in page
    assert 'value="soon"' in page  # what the merchant typed stays in the form
    assert policy_for(brand=brand).max_messages_per_shipment == 3


def test_restore_defaults_puts_the_defaults_back(panel, brand):
    panel.post(url(brand), FORM)

    response = panel.post(url(brand), {"reset": "1"}, follow=True)

    assert "Sending policy back to the defaults." in response.content.decode()
    assert policy_for(brand=brand) == DEFAULT_POLICY


def test_a_save_is_audited_as_the_member(panel, brand, member):
    panel.post(url(brand), FORM)

    event = AuditEvent.objects.get(action="sending_policy.update")
    assert event.user == member


def test_another_accounts_brand_is_a_404(panel, outsider):
    foreign = BrandFactory(account=outsider)

    assert panel.get(url(foreign)).status_code == 404
    assert panel.post(url(foreign), FORM).status_code == 404
    assert not SendingPolicy.objects.exists()


def test_the_home_goes_to_the_chosen_or_first_brand(panel, account, brand):
    second = BrandFactory(account=account)
    home = reverse("panel:notifications-policy-home")

    assert panel.get(home).url == url(brand)
    assert panel.get(home, {"brand": second.pk}).url == url(second)


def test_the_page_stays_within_the_query_budget(panel, brand, django_assert_max_num_queries):
    BrandFactory.create_batch(5, account=brand.account)
    SendingPolicyFactory(brand=brand)

    with django_assert_max_num_queries(12):
        assert panel.get(url(brand)).status_code == 200
