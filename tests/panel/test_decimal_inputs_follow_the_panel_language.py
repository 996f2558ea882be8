"""Money typed in the panel is read with the member's decimal separator and shown back the same way:
the French panel shows "25,00" and takes "25,50"; the English one shows and takes "25.50"."""

from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from billing.spend_models import SpendCap
from brands.models import Membership
from tests.factories.billing import SpendCapFactory
from tracking.models import Shipment

pytestmark = pytest.mark.django_db


def speaks(member, language):
    Membership.objects.filter(user=member).update(language=language)


def set_cap(client, cap: str):
    return client.post(reverse("panel:spend-cap"), {"monthly_cap": cap, "alert_at_percent": "80", "on_cap": "fallback"})


@pytest.mark.parametrize("language, typed", [("fr", "25,50"), ("de", "25,50"), ("fr", "25.50"), ("en", "25.50")])
def test_the_spend_cap_accepts_the_languages_decimal_separator(panel, member, account, language, typed):
    speaks(member, language)

    response = set_cap(panel, typed)

    assert response.status_code == 302
    assert SpendCap.objects.for_account(account).get().monthly_cap == Decimal("25.50")


@pytest.mark.parametrize("language, shown", [("fr", 'value="25,00"'), ("nl", 'value="25,00"'), ("en", 'value="25.00"')])
def test_the_spend_cap_is_shown_in_the_format_it_is_typed_in(panel, member, account, language, shown):
    speaks(member, language)
    SpendCapFactory(account=account, monthly_cap=Decimal("25.00"))

    html = panel.get(reverse("panel:billing")).content.decode()

    assert shown in html


def test_a_refused_cap_shows_back_what_was_typed(panel, member, account):
    speaks(member, "fr")

    response = set_cap(panel, "vingt")

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'value="vingt"' in html and "Saisissez un nombre." in html
    assert not SpendCap.objects.for_account(account).exists()


def test_a_cash_on_delivery_amount_takes_a_decimal_comma_in_the_french_panel(panel, member, account, brand):
    speaks(member, "fr")

    response = panel.post(reverse("panel:shipment-create"), {
        "brand": brand.pk, "carrier": "sandbox", "tracking_number": "SBXCOD1", "language": "fr",
        "to_country": "FR", "cash_on_delivery_amount": "12,50", "cash_on_delivery_currency": "EUR",
    })

    assert response.status_code == 302
    assert Shipment.objects.for_account(account).get().cash_on_delivery_amount == Decimal("12.50")
