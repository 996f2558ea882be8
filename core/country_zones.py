"""Countries and their time zones, below the apps so that brands need not import tracking.

- `ZONES`: the country's one obvious zone, for the countries we ship to most (the mainland's zone
  where islands or enclaves add others: Madrid for Spain, Lisbon for Portugal, Berlin for
  Germany). The shopper's tracking page reads its clock from it (tracking.presentation.zone_for).
- `zones_by_country()`: every zone of each country, in zone.tab's order (tracking.shopper_zones).
- `obvious_zone(country)`: `ZONES`' zone, else the country's only zone, else "UTC" (a country
  that spans several zones has no obvious one). A new account's time zone starts as this.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from importlib import resources

UTC = "UTC"

ZONES = {
    "NL": "Europe/Amsterdam", "DE": "Europe/Berlin", "FR": "Europe/Paris", "BE": "Europe/Brussels",
    "ES": "Europe/Madrid", "IT": "Europe/Rome", "AT": "Europe/Vienna", "GB": "Europe/London",
    "IE": "Europe/Dublin", "LU": "Europe/Luxembourg", "CH": "Europe/Zurich", "DK": "Europe/Copenhagen",
    "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "FI": "Europe/Helsinki", "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague", "PT": "Europe/Lisbon", "GR": "Europe/Athens",
}


@functools.cache
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO country -> its zones in zone.tab's order, from the pinned tzdata package."""
    found: dict[str, list[str]] = defaultdict(list)
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, name, *_comments = line.split("\t")
            found[country].append(name)
    return {country: tuple(names) for country, names in found.items()}


def obvious_zone(country: str) -> str:
    """The zone a company of `country` most likely keeps its clock in; "UTC" when there is none."""
    code = str(country or "").strip().upper()
    if code in ZONES:
        return ZONES[code]
    zones = zones_by_country().get(code, ())
    return zones[0] if len(zones) == 1 else UTC
