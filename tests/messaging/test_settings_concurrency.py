"""Two brands of a Lite account racing for the last WhatsApp country: exactly one wins.

Needs PostgreSQL (real row locks and concurrent connections); skips elsewhere, fails under CI=true.
"""

import threading

import pytest
from django.db import connection

from brands.models import Plan
from core.errors import RuleViolation
from messaging.selectors import whatsapp_countries_in_use
from messaging.services.notifications import channel_document_replace
from tests.conftest import require_postgres
from tests.factories import AccountFactory, BrandFactory
from tests.factories.billing import seed_default_plans
from tests.factories.messaging import WhatsAppConsentFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_puts_cannot_both_take_the_last_lite_country():
    require_postgres()
    seed_default_plans()
    account = AccountFactory(plan=Plan.LITE)
    WhatsAppConsentFactory(account=account)
    first, second, third = (BrandFactory(account=account) for _ in range(3))
    channel_document_replace(brand=first, channel="whatsapp", enabled=True, countries={"NL": {}})
    barrier = threading.Barrier(2)
    outcomes = []

    def claim(brand, country):
        try:
            barrier.wait(timeout=10)
            channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={country: {}})
            outcomes.append("ok")
        except RuleViolation as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=args) for args in ((second, "BE"), (third, "DE"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ok", "plan_limit"]
    assert len(whatsapp_countries_in_use(account=account)) == 2
