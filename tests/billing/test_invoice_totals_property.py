"""Property: on random charges, every invoice's figures equal an independent Decimal computation
from the charges, to the cent."""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.invoicing import invoice_period
from billing.models import Charge, Invoice
from tests.billing.conftest import APRIL_1ST, MARCH
from tests.factories import AccountFactory, BrandFactory

pytestmark = pytest.mark.usefixtures("vat_rates")

CENT = Decimal("0.01")
RATES = {"NL": Decimal("21"), "FI": Decimal("25.5"), "US": Decimal("0")}

prices = st.integers(min_value=0, max_value=99_999).map(lambda n: Decimal(n).scaleb(-4))  # 0.0000 .. 9.9999
charge_groups = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 2), st.sampled_from(["whatsapp", "sms", "email"]), prices,
              st.integers(1, 40), st.integers(0, 30 * 24 * 3600)),
    min_size=1, max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(groups=charge_groups, countries=st.lists(st.sampled_from(sorted(RATES)), min_size=3, max_size=3))
def test_invoice_totals_equal_the_sum_of_the_charges_to_the_cent(db, groups, countries):
    with transaction.atomic():
        # given: up to 3 accounts x 3 brands, charges at random moments of March
        accounts = [AccountFactory(country=country) for country in countries]
        brands = [[BrandFactory(account=account) for _ in range(3)] for account in accounts]
        charges = []
        for account_n, brand_n, channel, price, quantity, second in groups:
            at = MARCH.start + dt.timedelta(seconds=second)
            charges += [Charge(account=accounts[account_n], brand=brands[account_n][brand_n], channel=channel,
                               unit_price=price, currency="EUR", created_at=at) for _ in range(quantity)]
        Charge.objects.bulk_create(charges)

        # when
        invoice_period(period=MARCH, now=APRIL_1ST)

        # then: the same figures, computed here from the charges with Decimal arithmetic
        counts = defaultdict(int)
        for charge in charges:
            counts[(charge.account_id, charge.brand_id, charge.channel, charge.unit_price)] += 1
        expected_lines = defaultdict(dict)
        for (account_id, brand_id, channel, price), quantity in counts.items():
            expected_lines[account_id][(brand_id, channel, price)] = (
                quantity, (price * quantity).quantize(CENT, rounding=ROUND_HALF_UP))
        assert Invoice.objects.count() == len(expected_lines)
        for account in accounts:
            if account.pk not in expected_lines:
                continue
            invoice = Invoice.objects.get(account=account)
            lines = {(line.brand_id, line.channel, line.unit_price): (line.quantity, line.amount)
                     for line in invoice.lines.all()}
            assert lines == expected_lines[account.pk]
            net = sum((amount for _, amount in expected_lines[account.pk].values()), Decimal("0"))
            vat = (net * RATES[str(account.country)] / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            assert (invoice.net, invoice.vat, invoice.total) == (net, vat, net + vat)
        assert not Charge.objects.filter(invoice_line__isnull=True).exists()
        transaction.set_rollback(True)  # each example starts from an empty month
