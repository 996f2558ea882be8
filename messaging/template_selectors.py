"""Reads of templates: a brand's overrides merged over the platform defaults.

E-mail and SMS: the brand's override for (channel, status, language), else the platform default
copy (messaging.default_copy). WhatsApp: the approved platform template, never editable, shown
with our `<<tags>>` in place of Meta's positional `{{n}}` parameters.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from brands.models import Brand
from messaging.channels import channel_of
from messaging.default_copy import default_template
from messaging.models import EDITABLE_CHANNELS, Channel, TemplateOverride
from messaging.rendering import tag_values
from messaging.segments import SegmentInfo
from messaging.tags import UNSUBSCRIBE_TAG, render
from messaging.whatsapp_templates import FOOTERS, button_line, whatsapp_template
from tracking.statuses import ALL_CODES, DEFAULT_LANGUAGE, LANGUAGES

_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


@dataclass(frozen=True)
class ResolvedTemplate:
    subject: str
    body: str
    is_default: bool
    language: str  # the language the text is in, after fallback


@dataclass(frozen=True)
class TemplateEntry:
    """One (channel, status, language) as the merchant sees and edits it."""

    channel: str
    status: str
    language: str
    subject: str
    body: str
    is_default: bool
    segments: SegmentInfo | None = None  # SMS only: estimated with sample values

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("segments")
        if self.segments is not None:
            data["segments"] = segments_dict(self.segments)
        return data


def segments_dict(info: SegmentInfo) -> dict:
    return {"encoding": info.encoding, "characters": info.characters, "segments": info.segments}


def normalise_language(code: str | None) -> str | None:
    """'fr' for 'fr', 'FR', 'fr-BE' or 'fr_BE'; None for a blank or a language we do not write."""
    if not code:
        return None
    code = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def language_chain(language: str | None, brand: Brand) -> tuple[str, ...]:
    """Languages to try, in order: the shipment's, the brand's default, English."""
    chain: list[str] = []
    for candidate in (language, brand.default_language, DEFAULT_LANGUAGE):
        code = normalise_language(candidate)
        if code and code not in chain:
            chain.append(code)
    return tuple(chain)


def resolve_template(brand: Brand, channel: str, status: str, language: str | None) -> ResolvedTemplate:
    """The text a message of `channel` for `status` uses, for a shopper speaking `language`.

    Per language of the chain (shipment -> brand default -> English): the brand's override in
    that language, else the platform default in that language; the next language only when
    neither exists. A shopper therefore reads their own language rather than the merchant's
    override in another one. One query (none for WhatsApp).
    """
    chain = language_chain(language, brand)
    kind = channel_of(channel)
    if not kind.editable:
        return ResolvedTemplate(subject="", body=kind.platform_body(status, chain[0]), is_default=True,
                                language=chain[0])
    overrides = {
        row.language: row
        for row in TemplateOverride.objects.for_account(brand.account).filter(
            brand=brand, channel=channel, status=status, language__in=chain
        )
    }
    for code in chain:
        if code in overrides:
            row = overrides[code]
            return ResolvedTemplate(subject=row.subject, body=row.body, is_default=False, language=code)
        default = default_template(channel, status, code)
        if default.language == code:
            return ResolvedTemplate(subject=default.subject, body=default.body, is_default=True, language=code)
    default = default_template(channel, status, DEFAULT_LANGUAGE)
    return ResolvedTemplate(subject=default.subject, body=default.body, is_default=True, language=default.language)


def whatsapp_body(status: str, language: str) -> str:
    """The approved WhatsApp template with `<<tags>>` for its parameters, and its footer."""
    template = whatsapp_template(status)
    body = template.bodies.get(language) or template.bodies[DEFAULT_LANGUAGE]

    def tag(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return f"<<{template.parameters[index]}>>" if 0 <= index < len(template.parameters) else match.group()

    footer = FOOTERS.get(language) or FOOTERS[DEFAULT_LANGUAGE]
    return _PLACEHOLDER.sub(tag, body) + "\n\n" + footer + "\n" + button_line(language, UNSUBSCRIBE_TAG)


def template_list(
    *, brand: Brand, channel: str | None = None, status: str | None = None, language: str | None = None
) -> list[TemplateEntry]:
    """Every (channel, status, language) of the brand, optionally filtered; one query."""
    channels = [channel] if channel else Channel.values
    statuses = [status] if status else list(ALL_CODES)
    languages = [language] if language else list(LANGUAGES)
    overrides: dict[tuple[str, str, str], TemplateOverride] = {}
    if any(code in EDITABLE_CHANNELS for code in channels):
        rows = TemplateOverride.objects.for_account(brand.account).filter(brand=brand)
        if channel:
            rows = rows.filter(channel=channel)
        if status:
            rows = rows.filter(status=status)
        if language:
            rows = rows.filter(language=language)
        overrides = {(row.channel, row.status, row.language): row for row in rows}
    return [
        template_entry(brand=brand, channel=ch, status=st, language=lang, override=overrides.get((ch, st, lang)))
        for ch in channels
        for st in statuses
        for lang in languages
    ]


def template_entry(
    *, brand: Brand, channel: str, status: str, language: str, override: TemplateOverride | None
) -> TemplateEntry:
    """The entry for exactly this language: the override, else the default (in English when the
    platform has no copy in that language yet)."""
    kind = channel_of(channel)
    if not kind.editable:
        subject, body, is_default = "", kind.platform_body(status, language), True
    elif override is not None:
        subject, body, is_default = override.subject, override.body, False
    else:
        default = default_template(channel, status, language)
        subject, body, is_default = default.subject, default.body, True
    segments = None
    if kind.counts_segments:  # what the text costs once its tags are filled with realistic sample values
        segments = kind.segments(render(body, tag_values(brand=brand, channel=channel, status=status, language=language)))
    return TemplateEntry(channel, status, language, subject, body, is_default, segments)
