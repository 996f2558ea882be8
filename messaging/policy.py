"""What messaging needs to know about plans, without importing billing.

Billing owns plans, their limits and prices, but sits to the right of messaging: messaging may
not import it. So messaging declares the small interface it needs (`PlanPolicy`) and billing
registers an implementation in `BillingConfig.ready()`. Without one, `get_policy()` fails loudly
instead of letting WhatsApp through unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from brands.models import Account


@dataclass(frozen=True)
class PlanLimits:
    whatsapp_allowed: bool
    max_whatsapp_countries: int | None  # None: unlimited
    # For messages only: "Lite", and the next plan that allows more ("Growth"), if any.
    plan_name: str = ""
    upgrade_to: str | None = None

    def allows_whatsapp_countries(self, count: int) -> bool:
        if not self.whatsapp_allowed:
            return count == 0
        return self.max_whatsapp_countries is None or count <= self.max_whatsapp_countries


# A plan nobody knows (a typo in the database, a plan row deleted) allows nothing.
NO_LIMITS_KNOWN = PlanLimits(whatsapp_allowed=False, max_whatsapp_countries=0)


class PlanPolicy(Protocol):
    def limits(self, plan_code: str) -> PlanLimits: ...

    def whatsapp_unit_price(self, account: Account, at: datetime) -> tuple[Decimal, str] | None:
        """(unit price, ISO currency) of one WhatsApp template message, or None when none applies."""
        ...


def format_money(amount: Decimal) -> str:
    """'0.16' for Decimal('0.1600'), '0.0456' for a sub-cent price: at least two decimals."""
    whole, _, fraction = f"{amount.normalize():f}".partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


_policy: PlanPolicy | None = None


def register_policy(policy: PlanPolicy) -> None:
    global _policy
    _policy = policy


def get_policy() -> PlanPolicy:
    if _policy is None:
        raise ImproperlyConfigured(
            "No plan policy registered: the billing app registers one in BillingConfig.ready(); "
            "is 'billing' in INSTALLED_APPS?"
        )
    return _policy
