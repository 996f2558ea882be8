"""WhatsApp's rules at account level: the plan must include it, the account must have given its
consent (pricing shown, permission to use shoppers' numbers), and the Lite plan counts the
destination countries in use across the account's brands."""

from __future__ import annotations

from brands.models import Account, Brand
from messaging.models import ChannelCountry, ChannelSetting, WhatsAppConsent
from messaging.policy import get_policy

CODE = "whatsapp"


def whatsapp_usable(*, account: Account) -> bool:
    """The account may send WhatsApp at all: its plan includes it and consent was given."""
    return get_policy().limits(account.plan).whatsapp_allowed and has_whatsapp_consent(account=account)


def has_whatsapp_consent(*, account: Account) -> bool:
    return WhatsAppConsent.objects.for_account(account).exists()


def latest_whatsapp_consent(*, account: Account) -> WhatsAppConsent | None:
    return WhatsAppConsent.objects.for_account(account).select_related("given_by").first()


def whatsapp_countries_in_use(*, account: Account, exclude_brand: Brand | None = None) -> set[str]:
    """Destination countries of the account's WhatsApp settings that are switched on.

    This is what the Lite plan's country limit counts: countries of a WhatsApp channel that is
    off send nothing and do not count, so a merchant can park a configuration while switched off.
    """
    rows = ChannelCountry.objects.for_account(account).filter(
        setting__channel=CODE, setting__enabled=True
    )
    if exclude_brand is not None:
        rows = rows.exclude(setting__brand=exclude_brand)
    return set(rows.values_list("country", flat=True).distinct())


def brands_with_whatsapp_on(*, account: Account) -> list[str]:
    """Names of the account's brands whose WhatsApp channel is on."""
    return list(
        ChannelSetting.objects.for_account(account)
        .filter(channel=CODE, enabled=True)
        .order_by("brand__name")
        .values_list("brand__name", flat=True)
    )

