"""The spend cap in the panel: the Billing page's section (spent, forecast, cap, a form for owners),
the dashboard's meter, and the banner on every page once the month reaches the alert threshold."""

from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.spend_models import SpendCap
from brands.models import Role
from tests.factories import BrandFactory, MembershipFactory
from tests.factories.billing import DailySpendFactory, SpendCapFactory, SpendMonthFactory

pytestmark = pytest.mark.django_db


def page(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return unescape(response.content.decode())


def spent_this_month(account, amount: str) -> None:
    now = timezone.now()
    SpendMonthFactory(account=account, month=now.date().replace(day=1), amount=Decimal(amount))
    DailySpendFactory(account=account, day=now.date(), amount=Decimal(amount))


def test_the_billing_page_shows_the_cap_the_spend_and_the_forecast(panel, account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    spent_this_month(account, "12.50")

    html = page(panel, "panel:billing")

    assert 'id="spend-cap"' in html
    assert "EUR 12.50" in html and "EUR 50.00" in html
    assert "Forecast" in html and 'class="meter is-ok"' in html
    assert 'value="50.00"' in html


def test_an_owner_sets_the_cap_from_the_billing_page(panel, account):
    response = panel.post(reverse("panel:spend-cap"), {"monthly_cap": "75.5", "alert_at_percent": "90",
                                                       "on_cap": "pause"})

    assert response.status_code == 302 and response.url.endswith("#spend-cap")
    cap = SpendCap.objects.for_account(account).get()
    assert (cap.monthly_cap, cap.alert_at_percent, cap.on_cap) == (Decimal("75.50"), 90, "pause")


def test_an_empty_cap_removes_it(panel, account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))

    panel.post(reverse("panel:spend-cap"), {"monthly_cap": "", "alert_at_percent": "80", "on_cap": "fallback"})

    assert SpendCap.objects.for_account(account).get().monthly_cap is None


def test_bad_values_are_shown_beside_their_fields_and_nothing_is_saved(panel, account):
    response = panel.post(reverse("panel:spend-cap"), {"monthly_cap": "-3", "alert_at_percent": "120",
                                                       "on_cap": "fallback"})

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "The cap cannot be negative." in html
    assert "Give a whole number of percent from 1 to 100." in html
    assert not SpendCap.objects.for_account(account).exists()


def test_only_an_owner_changes_the_cap(client, account):
    client.force_login(MembershipFactory(account=account, role=Role.MEMBER).user)

    html = page(client, "panel:billing")
    response = client.post(reverse("panel:spend-cap"), {"monthly_cap": "1", "alert_at_percent": "80",
                                                        "on_cap": "fallback"})

    assert "Only an owner can change the spend cap." in html
    assert response.status_code == 403
    assert not SpendCap.objects.for_account(account).exists()


def test_the_dashboard_shows_the_forecast_and_the_caps_meter(panel, account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"))
    spent_this_month(account, "10.00")

    html = page(panel, "panel:dashboard")

    assert "Forecast for" in html and "of the EUR 50.00 cap" in html
    assert 'class="meter is-ok"' in html


def test_the_dashboard_offers_a_cap_when_there_is_none(panel):
    assert "Set a monthly spend cap" in page(panel, "panel:dashboard")


@pytest.mark.parametrize("name", ["panel:dashboard", "panel:billing", "panel:shipment-list", "panel:settings"])
def test_every_page_shows_the_banner_once_the_alert_threshold_is_reached(panel, account, name):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), alert_at_percent=80)
    spent_this_month(account, "41.00")

    html = page(panel, name)

    assert "82% of your WhatsApp spend cap used." in html
    assert "EUR 41.00 of EUR 50.00 this month" in html


def test_at_the_cap_the_banner_says_whatsapp_goes_by_the_fallback_channels(panel, account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), on_cap="fallback")
    spent_this_month(account, "50.00")

    html = page(panel, "panel:dashboard")

    assert "WhatsApp spend cap reached." in html
    assert "WhatsApp messages now go by your fallback channels" in html


def test_at_a_pausing_cap_the_banner_says_whatsapp_is_paused(panel, account):
    SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), on_cap="pause")
    spent_this_month(account, "60.00")

    assert "WhatsApp messages are paused" in page(panel, "panel:billing")


def test_no_banner_below_the_threshold_or_without_a_cap(panel, account):
    spent_this_month(account, "1000.00")
    assert "spend cap" not in page(panel, "panel:shipment-list")

    SpendCapFactory(account=account, monthly_cap=Decimal("5000.00"))
    assert "spend cap" not in page(panel, "panel:shipment-list")


def test_another_accounts_cap_never_shows(panel, outsider):
    BrandFactory(account=outsider)
    SpendCapFactory(account=outsider, monthly_cap=Decimal("1.00"))
    spent_this_month(outsider, "5.00")

    assert "spend cap" not in page(panel, "panel:dashboard").lower().replace("set a monthly spend cap", "")
