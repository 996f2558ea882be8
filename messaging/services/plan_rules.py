"""Plan limits and consent as they apply to WhatsApp settings (limits come from the plan policy).

- Free: no WhatsApp. Lite: WhatsApp in at most N destination countries across all brands of the
  account. Growth and Premium: unlimited.
- Only WhatsApp channels that are switched on count: a switched-off channel sends nothing.
- A configuration already beyond the limit (e.g. after an admin changed the plan) may be kept or
  reduced; only adding a new country past the limit is refused.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            _(
                "WhatsApp needs the account's consent before it is switched on: accept the pricing and the "
                "use of shoppers' phone numbers first (POST /api/v1/account/whatsapp-consent/)."
            ),
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
        detail = _("%(countries)s already used by other brands") % {"countries": ", ".join(sorted(others))}
    else:
        detail = _("%(count)d requested: %(countries)s") % {"count": len(total), "countries": ", ".join(sorted(total))}
    values = {
        "plan": _name(account.plan, limits),
        "countries": _countries(limit),
        "detail": detail,
        "upgrade": limits.upgrade_to,
    }
    if limits.upgrade_to:
        message = (
            _(
                "The %(plan)s plan allows WhatsApp in %(countries)s across the account (%(detail)s); "
                "upgrade to %(upgrade)s for more."
            )
            % values
        )
    else:
        message = (
            _(
                "The %(plan)s plan allows WhatsApp in %(countries)s across the account (%(detail)s); "
                "remove a country first."
            )
            % values
        )
    raise RuleViolation("countries", message, code=PLAN_LIMIT)


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
            _("The %(plan)s plan does not include WhatsApp: switch WhatsApp off for %(brands)s first.")
            % {"plan": name, "brands": _and(brands_on)},
            code=PLAN_LIMIT,
        )
    used = whatsapp_countries_in_use(account=account)
    limit = limits.max_whatsapp_countries
    if limit is not None and len(used) > limit:
        raise RuleViolation(
            "plan",
            _(
                "The %(plan)s plan allows WhatsApp in %(countries)s, but %(used)d are in use (%(list)s): "
                "remove %(excess)d of them from WhatsApp first."
            )
            % {
                "plan": name,
                "countries": _countries(limit),
                "used": len(used),
                "list": ", ".join(sorted(used)),
                "excess": len(used) - limit,
            },
            code=PLAN_LIMIT,
        )


def _no_whatsapp_message(plan: str, limits: PlanLimits) -> str:
    values = {"plan": _name(plan, limits), "upgrade": limits.upgrade_to}
    if limits.upgrade_to:
        return _("The %(plan)s plan does not include WhatsApp; upgrade to %(upgrade)s to switch it on.") % values
    return _("The %(plan)s plan does not include WhatsApp; remove a country first.") % values


def _name(plan: str, limits: PlanLimits) -> str:
    return limits.plan_name or plan.title()


def _countries(count: int) -> str:
    return ngettext("%(count)d destination country", "%(count)d destination countries", count) % {"count": count}


def _and(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
