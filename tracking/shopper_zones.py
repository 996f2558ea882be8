"""The shopper's local time zone, from where the parcel goes, else from the phone number.

In order, the first that answers:
1. A country that spans several zones and has a table (tracking/zone_tables.py: US, CA, AU, BR,
   MX, ES, PT, FR, RU) with a postal code the table knows: that zone.
2. A country with several zones, without a usable postal code: the phone number's zone when
   the number is of that country and its prefix is local to one zone (a US area code, a Spanish
   landline; not a Spanish or Australian mobile number).
3. The country's main zone: for the tabled countries their most populous zone (New York,
   Toronto, Sydney, São Paulo, Mexico City, Madrid, Lisbon, Paris, Moscow); for every other
   country the first zone the tz database lists for it (zone.tab: the most populous where
   geography allows; the only one for most countries).
4. No usable country: the same steps for the phone number's country.
5. Nothing known: None. Callers do not hold a message on a guess.

phonenumbers' zone of a prefix is trusted only when the tz database lists it for the number's
country: its zones are approximations (it gives Nicaragua Chicago's daylight saving time).
Pure (no database); zone.tab is read once, and the standard library caches each ZoneInfo.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers.timezone import time_zones_for_number

from tracking.zone_tables import BY_COUNTRY, Row


def shopper_zone(*, country: str = "", postal_code: str = "", phone: str = "") -> ZoneInfo | None:
    """The shopper's time zone (see the module docstring), or None when nothing tells it."""
    country = str(country or "").strip().upper()
    if country not in _zones_by_country():
        number = _parse(phone)
        region = phonenumbers.region_code_for_number(number) if number is not None else None
        return _zone_in(region, "", number) if region in _zones_by_country() else None
    return _zone_in(country, postal_code, _parse(phone))


def zone_by_postal_code(rows: tuple[Row, ...], postal_code: str) -> str | None:
    """The zone of the first row whose range holds the postal code's prefix, or None."""
    code = "".join(str(postal_code or "").split()).replace("-", "").upper()
    for low, high, name in rows:
        prefix = code[: len(low)]
        if len(prefix) == len(low) and prefix.isdigit() == low.isdigit() and low <= prefix <= high:
            return name
    return None


def _zone_in(country: str, postal_code: str, number: phonenumbers.PhoneNumber | None) -> ZoneInfo | None:
    zones = _zones_by_country()[country]
    default, rows = BY_COUNTRY.get(country, (zones[0], ()))
    if len(zones) == 1 and not rows:  # France has one in zone.tab, its overseas postal codes more
        return _zone(default)
    name = zone_by_postal_code(rows, postal_code) or _phone_zone_name(number, country, zones) or default
    return _zone(name)


def _phone_zone_name(number: phonenumbers.PhoneNumber | None, country: str, zones: tuple[str, ...]) -> str | None:
    if number is None or phonenumbers.region_code_for_number(number) != country:
        return None
    names = time_zones_for_number(number)
    return names[0] if len(names) == 1 and names[0] in zones else None


def _parse(phone: str) -> phonenumbers.PhoneNumber | None:
    if not phone:
        return None
    try:
        number = phonenumbers.parse(str(phone), None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


@functools.cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO country -> its zones in zone.tab's order, from the pinned tzdata package."""
    found: dict[str, list[str]] = defaultdict(list)
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, name, *_comments = line.split("\t")
            found[country].append(name)
    return {country: tuple(names) for country, names in found.items()}


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # a name the installed tz database lacks
        return None
