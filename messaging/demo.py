"""Demo notification settings and sending policies, one brand per policy to show:

- the first brand sends e-mail, SMS and WhatsApp to NL, BE, DE and FR, with quiet hours
  (21:00 to 08:00 in the shopper's time: an evening's messages wait for the morning);
- the second brand announces on WhatsApp only, and falls back to SMS, then e-mail, for a shopper
  WhatsApp cannot reach (tracking.demo gives it one not on WhatsApp) and once the account's
  WhatsApp spend cap is reached (billing.demo seeds a month close to it). Its SMS and e-mail
  statuses are off: those channels carry only the fallback.

Idempotent: the documents are replaced with the same content, consent is given once.
"""

from brands.models import Account, Brand, Membership
from messaging.channels import CHANNELS
from messaging.policy import get_policy
from messaging.selectors import has_whatsapp_consent
from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_document_replace
from messaging.services.sending_policy import sending_policy_replace
from tracking.statuses import ALL_CODES

DEMO_COUNTRIES = ("NL", "BE", "DE", "FR")
QUIET_HOURS = {"quiet_hours": {"enabled": True, "start": "21:00", "end": "08:00"}}
WHATSAPP_FIRST = {"fallback": {"enabled": True, "order": ["whatsapp", "sms", "email"], "after_minutes": 30}}
FALLBACK_ONLY_CHANNELS = ("sms", "email")


def seed(account: Account) -> None:
    owner = Membership.objects.for_account(account).select_related("user").order_by("pk").first()
    user = owner.user if owner else None
    if get_policy().limits(account.plan).whatsapp_allowed and not has_whatsapp_consent(account=account):
        whatsapp_consent_give(
            account=account, accept_pricing=True, accept_phone_data_use=True, given_by=user,
            given_by_label=(user.email if user else "demo seed"),
        )
    every_status = {code: {} for code in DEMO_COUNTRIES}
    no_status = {code: dict.fromkeys(ALL_CODES, False) for code in DEMO_COUNTRIES}
    for position, brand in enumerate(Brand.objects.for_account(account).order_by("pk")):
        whatsapp_first = position == 1
        for code, channel in CHANNELS.items():
            if channel.allowed_for(account):
                fallback_only = whatsapp_first and code in FALLBACK_ONLY_CHANNELS
                channel_document_replace(brand=brand, channel=code, enabled=True,
                                         countries=no_status if fallback_only else every_status)
        if position <= 1:
            sending_policy_replace(brand=brand, document=WHATSAPP_FIRST if whatsapp_first else QUIET_HOURS)
