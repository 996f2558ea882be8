"""brands.services.account_change_plan with messaging's validator: a downgrade below what the
WhatsApp settings use is refused, naming what to switch off; within limits it goes through."""

import pytest

from brands.models import Account, Plan
from brands.services import account_change_plan
from core.errors import RuleViolation
from messaging.services.notifications import channel_document_replace, channel_set_enabled
from tests.factories import BrandFactory
from tests.factories.billing import plans  # noqa: F401 - fixture
from tests.factories.messaging import WhatsAppConsentFactory

pytestmark = pytest.mark.usefixtures("plans")


@pytest.fixture
def trailhead(account):
    WhatsAppConsentFactory(account=account)
    return BrandFactory(account=account, name="Trailhead")


def whatsapp(brand, *countries, enabled=True):
    channel_document_replace(
        brand=brand, channel="whatsapp", enabled=enabled, countries={code: {} for code in countries}
    )


def test_a_downgrade_to_free_with_whatsapp_on_is_refused_naming_the_brands(account, trailhead):
    whatsapp(trailhead, "NL")
    whatsapp(BrandFactory(account=account, name="Fjellsko"), "BE")

    with pytest.raises(RuleViolation) as refused:
        account_change_plan(account=account, plan=Plan.FREE)

    assert refused.value.code == "plan_limit" and refused.value.field == "plan"
    assert refused.value.message == (
        "The Free plan does not include WhatsApp: switch WhatsApp off for Fjellsko and Trailhead first."
    )
    assert Account.objects.get(pk=account.pk).plan == Plan.GROWTH


def test_a_downgrade_to_lite_with_three_countries_says_how_many_to_remove(account, trailhead):
    whatsapp(trailhead, "NL", "BE", "DE")

    with pytest.raises(RuleViolation) as refused:
        account_change_plan(account=account, plan=Plan.LITE)

    assert refused.value.message == (
        "The Lite plan allows WhatsApp in 2 destination countries, but 3 are in use (BE, DE, NL): "
        "remove 1 of them from WhatsApp first."
    )
    assert Account.objects.get(pk=account.pk).plan == Plan.GROWTH


def test_a_downgrade_within_the_limits_is_allowed(account, trailhead):
    whatsapp(trailhead, "NL", "BE")

    changed = account_change_plan(account=account, plan=Plan.LITE)

    assert changed.plan == Plan.LITE and account.plan == Plan.LITE
    assert Account.objects.get(pk=account.pk).plan == Plan.LITE


def test_a_downgrade_to_free_is_allowed_once_whatsapp_is_switched_off(account, trailhead):
    whatsapp(trailhead, "NL", "BE", "DE")
    channel_set_enabled(brand=trailhead, channel="whatsapp", enabled=False)

    account_change_plan(account=account, plan=Plan.FREE)

    assert Account.objects.get(pk=account.pk).plan == Plan.FREE


def test_an_upgrade_is_always_allowed(account, trailhead):
    whatsapp(trailhead, "NL", "BE", "DE")

    account_change_plan(account=account, plan=Plan.PREMIUM)

    assert Account.objects.get(pk=account.pk).plan == Plan.PREMIUM


def test_an_unknown_plan_is_refused(account):
    with pytest.raises(RuleViolation) as refused:
        account_change_plan(account=account, plan="platinum")

    assert refused.value.field == "plan"


def test_another_accounts_whatsapp_does_not_block_a_downgrade(account, outsider):
    WhatsAppConsentFactory(account=outsider)
    whatsapp(BrandFactory(account=outsider), "NL", "BE", "DE")

    account_change_plan(account=account, plan=Plan.FREE)

    assert Account.objects.get(pk=account.pk).plan == Plan.FREE
