"""Sections other apps add to a brand's settings page (e.g. messaging's "WhatsApp number"),
without brands importing them: `register_brand_section(fn)`, where `fn(request, brand)` returns
the section's HTML (a rendered template), shown below the brand's own fields in registration order."""

from __future__ import annotations

from collections.abc import Callable

BrandSection = Callable[..., str]
_SECTIONS: list[BrandSection] = []


def register_brand_section(section: BrandSection) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def brand_sections(request, brand) -> list[str]:
    return [section(request, brand) for section in _SECTIONS]
