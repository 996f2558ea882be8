"""Reads of messaging configuration: channel documents, what is switched on, consent, templates.

Dispatch asks `enabled_channels(brand, country, status)`; the API and the panel read channel
documents; plan checks read `whatsapp_countries_in_use`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from brands.models import Brand
from messaging.models import Channel, ChannelSetting, StatusToggle
from messaging.channels import channel_of
from messaging.channels.whatsapp_account import (  # noqa: F401 - part of this module's interface
    brands_with_whatsapp_on,
    has_whatsapp_consent,
    latest_whatsapp_consent,
    whatsapp_countries_in_use,
    whatsapp_usable,
)
from messaging.template_selectors import (  # noqa: F401 - part of this module's interface
    ResolvedTemplate,
    TemplateEntry,
    resolve_template,
    template_entry,
    template_list,
)
from tracking.statuses import ALL_CODES


@dataclass
class ChannelDocument:
    """A brand's whole configuration of one channel, as the API shows and replaces it."""

    channel: str
    enabled: bool = False
    # country code -> status code -> on; every status of the taxonomy is present.
    countries: dict[str, dict[str, bool]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"channel": self.channel, "enabled": self.enabled, "countries": self.countries}


def channel_documents(*, brand: Brand) -> list[ChannelDocument]:
    """The three channel documents of a brand, in Channel order (three queries)."""
    settings = (
        ChannelSetting.objects.for_account(brand.account)
        .filter(brand=brand)
        .prefetch_related("countries__toggles")
    )
    by_channel = {setting.channel: _document(setting) for setting in settings}
    return [by_channel.get(channel) or ChannelDocument(channel=channel) for channel in Channel.values]


def channel_document(*, brand: Brand, channel: str) -> ChannelDocument:
    setting = (
        ChannelSetting.objects.for_account(brand.account)
        .filter(brand=brand, channel=channel)
        .prefetch_related("countries__toggles")
        .first()
    )
    return _document(setting) if setting else ChannelDocument(channel=channel)


def _document(setting: ChannelSetting) -> ChannelDocument:
    countries = {}
    for row in sorted(setting.countries.all(), key=lambda row: row.country.code):
        on = {toggle.status for toggle in row.toggles.all() if toggle.enabled}
        # A status without a row (one added to the taxonomy later) shows as off, as dispatch treats it.
        countries[row.country.code] = {status: status in on for status in ALL_CODES}
    return ChannelDocument(channel=setting.channel, enabled=setting.enabled, countries=countries)


def enabled_channels(brand: Brand, country, status: str) -> set[str]:
    """The channels that send a message for `status` to a shopper in `country` (an ISO alpha-2
    code, or the Country of a CountryField such as Shipment.to_country).

    A channel counts when it is on, the country is added and its toggle for the status is on.
    WhatsApp also needs the account's consent and a plan that includes it, checked again here
    so that a plan changed behind our back (e.g. in the admin) never sends unpaid WhatsApp.
    Opt-outs and usable addresses are the caller's business (they depend on the shipment).
    """
    channels = set(
        StatusToggle.objects.for_account(brand.account)
        .filter(
            channel_country__setting__brand=brand,
            channel_country__setting__enabled=True,
            channel_country__country=str(getattr(country, "code", country) or "").upper(),
            status=status,
            enabled=True,
        )
        .values_list("channel_country__setting__channel", flat=True)
    )
    return {code for code in channels if channel_of(code).allowed_for(brand.account)}


