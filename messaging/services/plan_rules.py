"""Plan limits and consent as they apply to WhatsApp settings (limits come from the plan policy).

- Free: no WhatsApp. Lite: WhatsApp in at most N destination countries across all brands of the
  account. Growth and Premium: unlimited.
- Only WhatsApp channels that are switched on count: a switched-off channel sends nothing.
- A configuration already beyond the limit (e.g. after an admin changed the plan) may be kept or
  reduced; only adding a new country past the limit is refused.
"""

from __future__ import annotations

from brands.models import Account, Brand
from core.errors import RuleViolation
from messaging.policy import PlanLimits, get_policy
from messaging.selectors import brands_with_whatsapp_on, has_whatsapp_consent, whatsapp_countries_in_use

PLAN_LIMIT = "plan_limit"
CONSENT_REQUIRED = "consent_required"


def check_whatsapp_settings(*, account: Account, brand: Brand, enabled: bool, countries: set[str]) -> None:
    """Refuse a WhatsApp configuration of `brand` the account's plan or consent does not allow.

    Call with the account row locked, so two brands cannot both take the last country.
    """
    if not enabled:
        return
    limits = get_policy().limits(account.plan)
    if not limits.whatsapp_allowed:
        raise RuleViolation("enabled", _no_whatsapp_message(account.plan, limits), code=PLAN_LIMIT)
    if not has_whatsapp_consent(account=account):
        raise RuleViolation(
            "enabled",
            "WhatsApp needs the account's consent before it is switched on: accept the pricing and the "
            "use of shoppers' phone numbers first (POST /api/v1/account/whatsapp-consent/).",
            code=CONSENT_REQUIRED,
        )
    limit = limits.max_whatsapp_countries
    if limit is None:
        return
    others = whatsapp_countries_in_use(account=account, exclude_brand=brand)
    total = others | countries
    if len(total) <= limit or total <= whatsapp_countries_in_use(account=account):
        return
    if others:
        detail = f"{', '.join(sorted(others))} already used by other brands"
    else:
        detail = f"{len(total)} requested: {', '.join(sorted(total))}"
    raise RuleViolation(
        "countries",
        f"The {_name(account.plan, limits)} plan allows WhatsApp in {_countries(limit)} across the account "
        f"({detail}); {_upgrade(limits, 'for more')}.",
        code=PLAN_LIMIT,
    )


def check_plan_change(account: Account, plan: str) -> None:
    """Validator for brands.services.account_change_plan: refuse a plan the WhatsApp settings break."""
    brands_on = brands_with_whatsapp_on(account=account)
    if not brands_on:
        return
    limits = get_policy().limits(plan)
    name = _name(plan, limits)
    if not limits.whatsapp_allowed:
        raise RuleViolation(
            "plan",
            f"The {name} plan does not include WhatsApp: switch WhatsApp off for {_and(brands_on)} first.",
            code=PLAN_LIMIT,
        )
    used = whatsapp_countries_in_use(account=account)
    limit = limits.max_whatsapp_countries
    if limit is not None and len(used) > limit:
        raise RuleViolation(
            "plan",
            f"The {name} plan allows WhatsApp in {_countries(limit)}, but {len(used)} are in use "
            f"({', '.join(sorted(used))}): remove {len(used) - limit} of them from WhatsApp first.",
            code=PLAN_LIMIT,
        )


def _no_whatsapp_message(plan: str, limits: PlanLimits) -> str:
    return f"The {_name(plan, limits)} plan does not include WhatsApp; {_upgrade(limits, 'to switch it on')}."


def _upgrade(limits: PlanLimits, purpose: str) -> str:
    if limits.upgrade_to:
        return f"upgrade to {limits.upgrade_to} {purpose}"
    return "remove a country first"


def _name(plan: str, limits: PlanLimits) -> str:
    return limits.plan_name or plan.title()


def _countries(count: int) -> str:
    return f"{count} destination {'country' if count == 1 else 'countries'}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
