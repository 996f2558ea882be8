"""Platform default templates: every brand starts from these, per channel, status and language.

Merchants may override the e-mail (subject + body) and SMS copy; WhatsApp uses Meta-approved
platform templates instead (see messaging.whatsapp_templates). The copy itself lives in one
module per language so that a translator reviews one file.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracking.statuses import DEFAULT_LANGUAGE, LANGUAGES, Status

from . import de, en, es, fr, it, nl

CHANNELS: tuple[str, ...] = ("email", "sms")

# Languages tried, in order, after the caller's own candidates.
DEFAULT_LANGUAGE_CHAIN: tuple[str, ...] = (DEFAULT_LANGUAGE,)

_COPY = {"en": en.COPY, "fr": fr.COPY, "de": de.COPY, "nl": nl.COPY, "es": es.COPY, "it": it.COPY}


@dataclass(frozen=True)
class DefaultTemplate:
    channel: str
    status: str
    language: str  # the language the copy is actually in, after fallback
    subject: str  # "" for SMS
    body: str


def resolve_language(*candidates: str | None) -> str:
    """The first candidate we have copy for, else English.

    Accepts what shops and browsers send: "fr", "FR", "fr-BE", "nl_NL"; blanks are skipped.
    Typical use: resolve_language(shipment_language, brand.default_language).
    """
    for candidate in (*candidates, *DEFAULT_LANGUAGE_CHAIN):
        if not candidate:
            continue
        code = candidate.strip().replace("_", "-").split("-", 1)[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def default_template(channel: str, status: str, language: str | None) -> DefaultTemplate:
    """The platform default copy, in `language` when we have it, else in English."""
    if channel not in CHANNELS:
        raise ValueError(
            f"No default copy for channel {channel!r}: expected one of {', '.join(CHANNELS)} "
            "(WhatsApp uses messaging.whatsapp_templates)."
        )
    code = Status(status).value  # ValueError for an unknown status
    resolved = resolve_language(language)
    entry = _COPY[resolved][channel].get(code)
    if entry is None:  # a language missing a status still sends something sensible
        resolved, entry = DEFAULT_LANGUAGE, _COPY[DEFAULT_LANGUAGE][channel][code]
    subject, body = entry if isinstance(entry, tuple) else ("", entry)  # e-mail copy is (subject, body)
    return DefaultTemplate(channel=channel, status=code, language=resolved, subject=subject, body=body)
