"""The merchant's WhatsApp consent: pricing accepted and shoppers' phone numbers may be used."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brands.audit import Actor, audit_record
from brands.models import Account
from core.errors import RuleViolation
from messaging.models import WhatsAppConsent
from messaging.policy import format_money, get_policy
from messaging.services.plan_rules import CONSENT_REQUIRED, PLAN_LIMIT


@transaction.atomic
def whatsapp_consent_give(
    *, account: Account, accept_pricing: bool, accept_phone_data_use: bool, given_by=None, given_by_label: str,
    actor: Actor | None = None,
) -> WhatsAppConsent:
    """Record the account's consent, with who gave it, when and the price shown at that moment."""
    policy = get_policy()
    limits = policy.limits(account.plan)
    if not limits.whatsapp_allowed:
        name = limits.plan_name or account.plan.title()
        if limits.upgrade_to:
            message = _("The %(plan)s plan does not include WhatsApp; upgrade to %(upgrade)s first.")
        else:
            message = _("The %(plan)s plan does not include WhatsApp.")
        raise RuleViolation("plan", message % {"plan": name, "upgrade": limits.upgrade_to}, code=PLAN_LIMIT)
    now = timezone.now()
    price = policy.whatsapp_unit_price(account, now)
    if accept_pricing is not True:
        if price:
            message = _("Accept the pricing of %(currency)s %(price)s per WhatsApp message to use WhatsApp.") % {
                "currency": price[1], "price": format_money(price[0])}
        else:
            message = _("Accept the pricing to use WhatsApp.")
        raise RuleViolation("accept_pricing", message, code=CONSENT_REQUIRED)
    if accept_phone_data_use is not True:
        raise RuleViolation(
            "accept_phone_data_use",
            _("Allow Parcelcast to use your shoppers' phone numbers to send them WhatsApp messages."),
            code=CONSENT_REQUIRED,
        )
    consent = WhatsAppConsent.objects.create(
        account=account,
        accept_pricing=True,
        accept_phone_data_use=True,
        given_by=given_by,
        given_by_label=given_by_label[:254],
        given_at=now,
        plan=account.plan,
        unit_price=price[0] if price else None,
        currency=price[1] if price else "",
    )
    if actor is None and given_by is not None:
        actor = Actor(user=given_by)
    audit_record(account=account, action="consent.whatsapp", actor=actor, object_type="whatsapp_consent",
                 object_id=consent.pk, after={"accept_pricing": True, "accept_phone_data_use": True,
                                              "plan": consent.plan, "unit_price": consent.unit_price,
                                              "currency": consent.currency, "given_by": consent.given_by_label})
    return consent
