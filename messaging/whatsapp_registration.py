"""What the platform registers at Meta: the platform templates (whatsapp_templates.py) as the
bodies of `POST /{waba}/message_templates`. Pure: no database, no HTTP.

Each (template, language) becomes one registration: the body with example values (Meta asks for
an example of every parameter), the STOP footer, and the buttons: first the URL button to our
unsubscribe page (the send fills its end: `unsubscribe_button_parameter`), then, where a status
asks the shopper to act, quick replies (Meta wants buttons of one kind grouped; the URL button
stays first so that sends keep addressing it as index 0). `delivered` has a second registration
with an IMAGE header (the proof-of-delivery photo), under a name of its own.

Time to live (`message_send_ttl_seconds`): how long Meta keeps trying to deliver before the
message expires instead of arriving late. Utility templates take 30 s to 12 h; each status's is
no longer than the time it stays news (messaging.news), capped at Meta's 12 h. Brands with channel
fallback on send with a variant of each template whose time to live ends before their fallback
goes (`pc_<status>_v3_ttl<minutes>`, one per tier of FALLBACK_TTL_MINUTES): registered after
every plain template, so that a sync cut short by Meta's limit on
management calls registers the templates every brand needs first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from messaging.localdates import format_date
from messaging.whatsapp_templates import (
    DELIVERED_PHOTO_TEMPLATE,
    FALLBACK_TTL_MINUTES,
    FOOTERS,
    META_LANGUAGE_CODES,
    TEMPLATES,
    UNSUBSCRIBE_BUTTONS,
    PlatformTemplate,
    unsubscribe_button_url,
    variants_of,
    whatsapp_template_name,
)
from tracking.statuses import Status

CATEGORY = "UTILITY"
HOUR = 3600
MAX_TTL_SECONDS = 12 * HOUR  # Meta's longest for utility templates

# The one table of times to live, per status (seconds). Why each:
TTL_SECONDS: dict[str, int] = {
    Status.READY_TO_SHIP: 12 * HOUR,  # "packed, handed over shortly": stale within the day
    Status.IN_TRANSIT: 12 * HOUR,  # the next scan says more; Meta's cap
    Status.OUT_FOR_DELIVERY: 4 * HOUR,  # "arrives today": hours later the driver has been
    Status.DELAYED: 12 * HOUR,
    Status.DELIVERY_FAILED: 12 * HOUR,  # the shopper must act: worth the longest try
    Status.READY_FOR_PICKUP: 12 * HOUR,
    Status.DELIVERED: 12 * HOUR,
    Status.RETURN_LABEL_CREATED: 12 * HOUR,
    Status.RETURN_DROPPED_OFF: 12 * HOUR,
    Status.RETURN_RECEIVED: 12 * HOUR,
    Status.POST_PURCHASE: 12 * HOUR,
}
assert set(TTL_SECONDS) == set(Status.values) and max(TTL_SECONDS.values()) <= MAX_TTL_SECONDS
# Every short-lived variant is shorter than every status's own time to live: composing, the gate
# and the sync all take the variants of every status from FALLBACK_TTL_MINUTES alone.
assert max(FALLBACK_TTL_MINUTES) * 60 < min(TTL_SECONDS.values())

# Quick replies a status offers (Meta: at most 25 characters each), per language.
QUICK_REPLIES: dict[str, dict[str, tuple[str, ...]]] = {
    Status.DELIVERY_FAILED: {
        "en": ("Reschedule", "Pick up at a point", "Change address"),
        "fr": ("Reprogrammer", "Retrait en point relais", "Changer d'adresse"),
        "de": ("Neuer Termin", "In Filiale abholen", "Adresse ändern"),
        "nl": ("Nieuwe afspraak", "Ophalen bij een punt", "Adres wijzigen"),
        "es": ("Reprogramar", "Recoger en un punto", "Cambiar dirección"),
        "it": ("Riprogramma", "Ritira in un punto", "Cambia indirizzo"),
    },
}

PHOTO_STATUS = Status.DELIVERED
PHOTO_NAME = DELIVERED_PHOTO_TEMPLATE  # the delivered template with the proof-of-delivery photo

# Example values for the body's parameters (Meta reviews the text with them filled in).
EXAMPLES = {
    "customer_name": "Alex",
    "order_number": "#10428",
    "companyname": "Acme",
    "carrier": "DHL",
    "pickup_point": "DHL ServicePoint, Kalverstraat 12, Amsterdam",
    "tracking_url": "https://parcelcast.example/t/pV7x3kQ9mZ2tR8wL4nYbC6aQ",
}
EXAMPLE_DATE = date(2026, 12, 4)
EXAMPLE_UNSUBSCRIBE_END = "pV7x3kQ9mZ2tR8wL4nYbC6aQ"


@dataclass(frozen=True)
class Registration:
    """One template to register at Meta: `payload` is the POST body."""

    name: str
    language: str  # Meta's code
    status: str  # the shipment status it serves
    payload: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.name, self.language


def registrations(*, header_handle: str = "") -> list[Registration]:
    """Every platform registration: each template in each language, and the photo variant of
    `delivered` when an example header handle (Meta's upload handle of a sample image) is given:
    Meta refuses an IMAGE header without one; then the short-lived variants for brands with
    fallback on (module docstring)."""
    found = []
    for template in TEMPLATES:
        for language in template.bodies:
            found.append(registration(template, language))
            if template.status == PHOTO_STATUS and header_handle:
                found.append(registration(template, language, header_handle=header_handle))
    for template in TEMPLATES:
        for minutes in FALLBACK_TTL_MINUTES:
            found.extend(registration(template, language, ttl_minutes=minutes) for language in template.bodies)
    return found


def registration(template: PlatformTemplate, language: str, *, header_handle: str = "",
                 ttl_minutes: int | None = None) -> Registration:
    name = PHOTO_NAME if header_handle else template.name
    if ttl_minutes is not None:
        name = whatsapp_template_name(template.status, ttl_minutes=ttl_minutes)
    code = META_LANGUAGE_CODES[language]
    components: list[dict[str, Any]] = []
    if header_handle:
        components.append({"type": "HEADER", "format": "IMAGE", "example": {"header_handle": [header_handle]}})
    components.append({
        "type": "BODY", "text": template.bodies[language],
        "example": {"body_text": [[example_value(tag, language) for tag in template.parameters]]},
    })
    components.append({"type": "FOOTER", "text": FOOTERS[language]})
    components.append({"type": "BUTTONS", "buttons": buttons(template.status, language)})
    payload = {
        "name": name, "language": code, "category": CATEGORY,
        "message_send_ttl_seconds": TTL_SECONDS[template.status] if ttl_minutes is None else ttl_minutes * 60,
        "components": components,
    }
    return Registration(name=name, language=code, status=template.status, payload=payload)


def buttons(status: str, language: str) -> list[dict[str, Any]]:
    url = unsubscribe_button_url()
    found: list[dict[str, Any]] = [{
        "type": "URL", "text": UNSUBSCRIBE_BUTTONS[language], "url": url,
        "example": [url.replace("{{1}}", EXAMPLE_UNSUBSCRIBE_END)],
    }]
    for text in QUICK_REPLIES.get(status, {}).get(language, ()):
        found.append({"type": "QUICK_REPLY", "text": text})
    return found


def example_value(tag: str, language: str) -> str:
    if tag == "eta":
        return format_date(EXAMPLE_DATE, language)
    return EXAMPLES[tag]


def platform_names() -> set[str]:
    """Every name the platform registers (with or without the photo variant)."""
    return {template.name for template in TEMPLATES} | {PHOTO_NAME} | {
        variant for template in TEMPLATES for variant in variants_of(template.name)}
