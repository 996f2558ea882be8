"""The text of one message: the brand's template (or the platform's) with its tags filled in."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from messaging.channels import channel_of
from messaging.policy_rules.document import Fallback, Policy
from messaging.policy_selectors import policies_for
from messaging.rendering import recipient_for, shipment_values, tag_values
from messaging.template_selectors import ResolvedTemplate, resolve_template
from tracking.presentation import copy_for
from tracking.statuses import Status


@dataclass
class Composed:
    language: str
    subject: str = ""
    body: str = ""
    html: str = ""
    whatsapp_template: str = ""
    whatsapp_language: str = ""
    whatsapp_parameters: list[str] = field(default_factory=list)
    whatsapp_header_image: str = ""
    unsubscribe_url: str = ""
    # The carrier's delivery photo when the message announces the delivery: each channel shows it
    # its own way (WhatsApp's image header, an <img> in the e-mail, nothing in an SMS).
    proof_of_delivery_url: str = ""
    # The brand's channel fallback (policy_rules.document.Fallback): a channel that falls back
    # sends so that its provider gives up before the fallback goes (WhatsApp: a short-lived template).
    fallback_policy: Fallback | None = None


class TemplateCache:
    """What one planning batch reads or works out once: resolved templates (one query per brand,
    channel, status and language) and tag values (the SMS and the WhatsApp message about one
    parcel go to the same number, in the same language: same values, except the SMS's short links;
    the shipment's part of them is worked out once for both) and the brands' sending policies
    (`policies`, when the caller has them already: planning does)."""

    def __init__(self, policies: dict[int, Policy] | None = None):
        self._policies: dict[int, Policy] = dict(policies or {})
        self._cache: dict[tuple, ResolvedTemplate] = {}
        self._values: dict[tuple, dict[str, str]] = {}
        self._shipments: dict[tuple, dict[str, str]] = {}  # (shipment id, language) -> its part of the values

    def get(self, brand, channel: str, status: str, language: str) -> ResolvedTemplate:
        key = (brand.pk, channel, status, language)
        if key not in self._cache:
            self._cache[key] = resolve_template(brand, channel, status, language)
        return self._cache[key]

    def fallback_policy(self, brand) -> Fallback:
        if brand.pk not in self._policies:
            self._policies |= policies_for({brand.pk})
        return self._policies[brand.pk].fallback

    def values(self, *, brand, shipment, channel: str, status: str, language: str) -> dict[str, str]:
        key = (brand.pk, shipment.pk, recipient_for(shipment, channel), status, language,
               channel_of(channel).short_links)
        if key not in self._values:
            part = self._shipments.get((shipment.pk, language))
            if part is None:
                part = self._shipments[shipment.pk, language] = shipment_values(shipment, language)
            self._values[key] = tag_values(brand=brand, channel=channel, status=status, language=language,
                                           shipment=shipment, shipment_part=part)
        return self._values[key]


def compose(*, brand, shipment, channel: str, status: str, templates: TemplateCache | None = None) -> Composed:
    templates = templates or TemplateCache()
    resolved = templates.get(brand, channel, status, shipment.language)
    values = templates.values(brand=brand, shipment=shipment, channel=channel, status=status,
                              language=resolved.language)
    if status == Status.DELAYED and getattr(shipment, "delay_is_ours", False):
        # No carrier said so: the texts leave out "as <<carrier>> tells us" (an optional part).
        values = {**values, "carrier": ""}
    kind = channel_of(channel)
    composed = Composed(language=resolved.language, unsubscribe_url=values["unsubscribe_url"],
                        proof_of_delivery_url=delivery_photo(shipment, status),
                        fallback_policy=templates.fallback_policy(brand) if kind.falls_back else None)
    kind.compose(composed, brand=brand, resolved=resolved, values=values, status=status)
    if kind.takes_replies:
        from messaging.conversations.cod import question_for_message

        # Cash on delivery's "reply YES to confirm" rides in the text of ready to ship.
        question = question_for_message(brand=brand, shipment=shipment, status=status, language=resolved.language)
        if question:
            composed.body = f"{composed.body}\n{question}"
    return composed


def delivery_photo(shipment, status: str) -> str:
    """The delivery photo a message about `status` shows: the shipment's, for a delivery only."""
    return (getattr(shipment, "proof_of_delivery_url", "") or "") if status == Status.DELIVERED else ""


def email_html(*, brand, subject: str, content: str, unsubscribe_url: str, language: str,
               proof_of_delivery_url: str = "", tracking_url: str = "") -> str:
    """The branded e-mail layout around the rendered body (already escaped by render_html): the
    brand's colour and logo, a "Track your parcel" button to `tracking_url`, the delivery photo
    under it when there is one (a link: the shopper's mail client loads it), a dark-mode palette."""
    from messaging.email_layout import text_on, words

    return render_to_string(
        "messaging/email.html",
        {
            "brand": brand,
            "subject": subject,
            "content": mark_safe(content),  # noqa: S308 - render_html escaped the text and every value
            "unsubscribe_url": unsubscribe_url,
            "language": language,
            "proof_of_delivery_url": proof_of_delivery_url,
            "photo_alt": copy_for(language)["delivery_photo"],
            "tracking_url": tracking_url,
            "words": words(language),
            "brand_text": text_on(brand.primary_color),
        },
    )
