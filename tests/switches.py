"""A brand's channels switched on, for tests that put messages in the outbox themselves: the send
path reads the merchant's switches again when a message goes (messaging/dispatch/toggles.py), so a
message of a channel, country or status that is off is `suppressed` with `switched_off`, as in
production."""

from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_document_replace
from tests.factories.billing import seed_default_plans


def switch_on(brand, *channels: str, countries=("NL",)) -> None:
    """Every status of `channels` on for `countries` (a WhatsApp plan and consent when needed)."""
    seed_default_plans()
    if "whatsapp" in channels:
        whatsapp_consent_give(account=brand.account, accept_pricing=True, accept_phone_data_use=True,
                              given_by_label="test")
    for channel in channels:
        channel_document_replace(brand=brand, channel=channel, enabled=True,
                                 countries={country: {} for country in countries})
