"""What messaging needs to know about plans, without importing billing.

Billing owns plans, their limits and prices, but sits to the right of messaging: messaging may
not import it. So messaging declares the small interface it needs (`PlanPolicy`) and billing
registers an implementation in `BillingConfig.ready()`. Without one, `get_policy()` fails loudly
instead of letting WhatsApp through unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol

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


# What to do with a WhatsApp message, given the account's monthly spend cap: send it; at the cap,
# send it by the fallback channels instead (`spend_cap` on the WhatsApp row) or hold it, as chosen.
SpendDecision = Literal["send", "fallback", "pause"]


@dataclass(frozen=True)
class SpendOutlook:
    """Where an account's WhatsApp spend of a month stands, for the dashboard and the usage API."""

    currency: str
    spent: Decimal  # charged so far in the month
    forecast: Decimal  # the month's expected total (its actual total once it has ended)
    monthly_cap: Decimal | None  # None: no cap
    alert_at_percent: int
    on_cap: str  # "fallback" or "pause"

    @property
    def cap_document(self) -> dict:
        """The cap as GET /api/v1/account/spend-cap/ shows it."""
        return {
            "monthly_cap": None if self.monthly_cap is None else f"{self.monthly_cap:.2f}",
            "alert_at_percent": self.alert_at_percent, "on_cap": self.on_cap, "currency": self.currency,
        }

    @property
    def percent_used(self) -> int | None:
        return _percent(self.spent, self.monthly_cap)

    @property
    def percent_forecast(self) -> int | None:
        return _percent(self.forecast, self.monthly_cap)

    @property
    def state(self) -> str:
        """"none" (no cap), "ok", "alert" (at alert_at_percent or more) or "reached"."""
        if self.monthly_cap is None:
            return "none"
        if self.spent >= self.monthly_cap:
            return "reached"
        return "alert" if self.spent * 100 >= self.monthly_cap * self.alert_at_percent else "ok"


@dataclass(frozen=True)
class Charged:
    """An account's charges of a period, per channel, and the currency they are in."""

    by_channel: dict[str, Decimal]
    currency: str


def _percent(amount: Decimal, cap: Decimal | None) -> int | None:
    if cap is None:
        return None
    return 100 if not cap else int(amount * 100 / cap)


class PlanPolicy(Protocol):
    def limits(self, plan_code: str) -> PlanLimits: ...

    def whatsapp_unit_price(self, account: Account, at: datetime) -> tuple[Decimal, str] | None:
        """(unit price, ISO currency) of one WhatsApp template message, or None when none applies."""
        ...

    def whatsapp_spend_decision(self, account: Account, at: datetime) -> SpendDecision:
        """"send" below the account's monthly cap of `at`'s month (or without a cap); at the cap,
        "fallback" or "pause" as the account chose. One query: cheap enough for every wave."""
        ...

    def spend_outlook(self, account: Account, month: date, at: datetime) -> SpendOutlook:
        """The account's spend of `month` (its first day), its forecast seen from `at`, and the cap."""
        ...

    def charged(self, account: Account, start: datetime, end: datetime) -> Charged:
        """What the account was charged in [start, end) per channel (the charges the invoice bills,
        a deleted brand's included), in its currency. One query for the amounts, one for the currency."""
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
