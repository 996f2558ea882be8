"""Demo notification settings: every demo brand sends e-mail, SMS and WhatsApp to NL, BE, DE, FR.

Idempotent: the documents are replaced with the same content, consent is given once.
"""

from brands.models import Account, Brand, Membership
from messaging.channels import CHANNELS
from messaging.policy import get_policy
from messaging.selectors import has_whatsapp_consent
from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_document_replace

DEMO_COUNTRIES = ("NL", "BE", "DE", "FR")


def seed(account: Account) -> None:
    owner = Membership.objects.for_account(account).select_related("user").order_by("pk").first()
    user = owner.user if owner else None
    if get_policy().limits(account.plan).whatsapp_allowed and not has_whatsapp_consent(account=account):
        whatsapp_consent_give(
            account=account, accept_pricing=True, accept_phone_data_use=True, given_by=user,
            given_by_label=(user.email if user else "demo seed"),
        )
    countries = {code: {} for code in DEMO_COUNTRIES}
    for brand in Brand.objects.for_account(account):
        for code, channel in CHANNELS.items():
            if channel.allowed_for(account):
                channel_document_replace(brand=brand, channel=code, enabled=True, countries=countries)
