"""The values of the `<<tags>>` for one message: brand + shipment (or sample data) + status + language.

Everything a template can show comes from here, so previews, tests and dispatch fill tags alike.
Values are plain text; `messaging.tags.render` / `render_html` substitute and escape them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from core.reverse import reverse_token
from messaging.localdates import format_date, format_short_date
from messaging.channels import channel_of
from messaging.optout_tokens import make_optout_token
from tracking.models import Shipment
from tracking.presentation import shopper_carrier_name
from tracking.statuses import status_label

# Sample data for previews: realistic lengths, so SMS segment counts are honest estimates.
from messaging.channels.base import SAMPLE_RECIPIENT_EMAIL, SAMPLE_RECIPIENT_PHONE  # noqa: E402,F401 (re-exported)
SAMPLE_TRACKING_TOKEN = "pV7x3kQ9mZ2tR8wL4nYbC6aQ"  # as long as a real one
_SAMPLE = {
    "customer_name": "Alex Morgan",
    "order_number": "#10428",
    "tracking_number": "JVGL06123456789012",
    "carrier": "DHL",
    "pickup_point": "DHL ServicePoint Primera, Kalverstraat 12, Amsterdam",
}
_SAMPLE_ETA_DAYS = 2


def tracking_url(token: str) -> str:
    # The same route Shipment.tracking_url reverses: the link in a message and the API agree.
    return settings.PUBLIC_BASE_URL + reverse_token("tracking:page", token)


def unsubscribe_url(brand_id: int, recipient: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse_token("unsubscribe", make_optout_token(brand_id, recipient))


def brand_values(brand) -> dict[str, str]:
    return {"companyname": brand.name, "whatsappnumber": brand.whatsapp_number or ""}


def tag_values(*, brand, channel: str, status: str, language: str, shipment=None,
               shipment_part: dict[str, str] | None = None) -> dict[str, str]:
    """Every tag's value for a message of `brand` about `shipment` (sample data when None).
    `shipment_part`: `shipment_values(shipment, language)` when the caller has it already."""
    if shipment is None:
        values = sample_values(brand, status, language)
        recipient = channel_of(channel).sample_recipient()
    else:
        values = dict(shipment_part) if shipment_part is not None else shipment_values(shipment, language)
        recipient = recipient_for(shipment, channel)
    values.update(brand_values(brand))
    values["status"] = status_label(status, language)
    if channel_of(channel).short_links:  # priced per 160 characters: short links, dates without the year
        from messaging import short_links

        links = short_links.sample_short_urls() if shipment is None else short_links.shipment_short_urls(shipment)
        values["tracking_url"], values["unsubscribe_url"] = links
        eta = _sample_eta() if shipment is None else shipment.upcoming_delivery
        values["eta"] = format_short_date(eta, language)
    else:
        values["unsubscribe_url"] = unsubscribe_url(brand.pk, recipient)
    return values


def sample_values(brand, status: str, language: str) -> dict[str, str]:
    """Shipment-like values for previews when no shipment is chosen. No database access."""
    values = dict(_SAMPLE)
    values["tracking_url"] = tracking_url(SAMPLE_TRACKING_TOKEN)
    values["eta"] = format_date(_sample_eta(), language)
    return values


def _sample_eta() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=_SAMPLE_ETA_DAYS)


# --- shipments (tracking.models.Shipment) ---------------------------------------------------------


def shipment_values(shipment: Shipment, language: str) -> dict[str, str]:
    """The shipment's part of the tag values."""
    return {
        "customer_name": shipment.recipient_name,
        "order_number": shipment.order_number,
        "tracking_number": shipment.tracking_number,
        "carrier": shopper_carrier_name(shipment),
        "pickup_point": shipment.pickup_point,  # from the ready-for-pickup event; often empty
        "tracking_url": shipment.tracking_url,
        "eta": format_date(shipment.upcoming_delivery, language),
    }


def recipient_for(shipment: Shipment, channel: str) -> str:
    """The address a message of `channel` about `shipment` goes to ('' when it has none)."""
    return channel_of(channel).address_of(shipment)

