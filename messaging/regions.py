"""Groups of destination countries a merchant can add in one step. Defined once here: the panel
offers them, the grid services expand them, and tests check every code is a real country."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
      "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")

# code -> (label, countries). Order is the order of the panel's choice.
REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "eu": (_("European Union"), EU),
    "benelux": (_("Benelux"), ("BE", "LU", "NL")),
    "dach": (_("DACH (Germany, Austria, Switzerland)"), ("AT", "CH", "DE")),
    "nordics": (_("Nordics"), ("DK", "FI", "IS", "NO", "SE")),
    "baltics": (_("Baltics"), ("EE", "LT", "LV")),
    "iberia": (_("Iberia"), ("ES", "PT")),
    "british_isles": (_("United Kingdom and Ireland"), ("GB", "IE")),
    "eea": (_("European Economic Area"), (*EU, "IS", "LI", "NO")),
}


def region_countries(code: str) -> tuple[str, ...] | None:
    """The countries of region `code`, None when there is no such region."""
    region = REGIONS.get(code)
    return region[1] if region else None


def region_choices() -> list[tuple[str, str, int]]:
    """(code, label, number of countries) for the panel."""
    return [(code, str(label), len(countries)) for code, (label, countries) in REGIONS.items()]
