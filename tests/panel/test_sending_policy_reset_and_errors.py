"""The sending policy page: "Restore defaults" asks first (the real button opens under a summary
that says what it resets), and the error count matches what turns red."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _form(**changes):
    values = {"quiet_hours_start": "21:00", "quiet_hours_end": "08:00", "fallback_enabled": "on",
              "fallback_order_0": "whatsapp", "fallback_order_1": "sms", "fallback_order_2": "email",
              "fallback_after_minutes": "30", "consolidation_seconds": "0", "ready_to_ship": "label_created"}
    return values | changes


def test_restore_defaults_is_a_confirmation_not_a_one_click_reset(panel, brand):
    html = panel.get(reverse("panel:notifications-policy", args=[brand.pk])).content.decode()

    confirm = re.search(r'<details class="confirm" id="reset-confirm">(.*?)</details>', html, re.DOTALL)
    assert confirm, "the reset sits in a closed confirmation"
    assert "<summary" in confirm.group(1) and 'name="reset"' in confirm.group(1)
    assert f"Restore the defaults for {brand.name}?" in confirm.group(1)
    assert html.count('name="reset"') == 1  # no other button resets at once


def test_a_duplicate_fallback_order_counts_each_highlighted_select(panel, brand):
    response = panel.post(reverse("panel:notifications-policy", args=[brand.pk]),
                          _form(fallback_order_1="whatsapp"))
    html = response.content.decode()

    assert response.status_code == 400
    highlighted = html.count('aria-invalid="true"')
    assert highlighted == 3
    assert f"Fix the {highlighted} highlighted fields below" in html


def test_one_wrong_number_counts_one_field(panel, brand):
    response = panel.post(reverse("panel:notifications-policy", args=[brand.pk]),
                          _form(fallback_after_minutes="soon"))
    html = response.content.decode()

    assert response.status_code == 400
    assert html.count('aria-invalid="true"') == 1 and "Fix the 1 highlighted field below" in html
