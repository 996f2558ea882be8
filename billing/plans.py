"""Plans as the rest of the platform sees them: limits by plan code, and the plan policy that
messaging asks (registered in BillingConfig.ready): limits, prices and the spend cap."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from billing import spend
from billing.models import Plan
from billing.pricing import whatsapp_unit_price
from brands.models import Account
from messaging.policy import NO_LIMITS_KNOWN, Charged, PlanLimits, SpendDecision, SpendOutlook


def plan_limits(plan_code: str) -> PlanLimits:
    """What a plan allows; an unknown plan allows nothing (fails closed)."""
    plans = list(Plan.objects.all())  # four rows: one query, and the upgrade hint comes for free
    current = next((plan for plan in plans if plan.code == plan_code), None)
    if current is None:
        return NO_LIMITS_KNOWN
    return PlanLimits(
        whatsapp_allowed=current.whatsapp_allowed,
        max_whatsapp_countries=current.max_whatsapp_countries if current.whatsapp_allowed else 0,
        plan_name=current.name,
        upgrade_to=_upgrade(current, plans),
    )


def _upgrade(current: Plan, plans: list[Plan]) -> str | None:
    """The first plan up the list that allows more WhatsApp than `current`."""
    for plan in plans:
        if plan.sort_order <= current.sort_order or not plan.whatsapp_allowed:
            continue
        if not current.whatsapp_allowed:
            return plan.name
        if current.max_whatsapp_countries is not None and (
            plan.max_whatsapp_countries is None or plan.max_whatsapp_countries > current.max_whatsapp_countries
        ):
            return plan.name
    return None


class BillingPlanPolicy:
    """messaging.policy.PlanPolicy, backed by the Plan and PriceRule tables."""

    def limits(self, plan_code: str) -> PlanLimits:
        return plan_limits(plan_code)

    def whatsapp_unit_price(self, account: Account, at: datetime) -> tuple[Decimal, str] | None:
        return whatsapp_unit_price(account, at)

    def whatsapp_spend_decision(self, account: Account, at: datetime) -> SpendDecision:
        return spend.whatsapp_spend_decision(account, at)

    def spend_outlook(self, account: Account, month: date, at: datetime) -> SpendOutlook:
        return spend.spend_outlook(account=account, month=month, at=at)

    def charged(self, account: Account, start: datetime, end: datetime) -> Charged:
        return spend.charged(account=account, start=start, end=end)
