"""The shopper's local time zone, from where the parcel goes, else from the phone number.

In order, the first that answers:
1. A country with a postal-code table (tracking/zone_tables.py: US, CA, AU, BR, MX, ES, PT, RU,
   and FR for its overseas codes) and a well-formed postal code: the zone the table gives.
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

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers.timezone import time_zones_for_number

from core.country_zones import zones_by_country
from tracking.zone_tables import BY_COUNTRY, PostalZones


def shopper_zone(*, country: str = "", postal_code: str = "", phone: str = "") -> ZoneInfo | None:
    """The shopper's time zone (see the module docstring), or None when nothing tells it."""
    country = str(country or "").strip().upper()
    if country in zones_by_country():
        return _zone_in(country, postal_code, phone)
    number = _parse(phone)
    region = phonenumbers.region_code_for_number(number) if number is not None else None
    return _zone_in(region, "", phone) if region in zones_by_country() else None


def zone_by_postal_code(table: PostalZones, postal_code: str) -> str | None:
    """The zone of a well-formed postal code (the first row holding it, else the main zone);
    None for a malformed one."""
    code = "".join(str(postal_code or "").split()).replace("-", "").upper()
    if not table.shape.fullmatch(code):
        return None
    for low, high, name in table.rows:
        if low <= code[: len(low)] <= high:
            return name
    return table.main


def _zone_in(country: str, postal_code: str, phone: str) -> ZoneInfo | None:
    zones = zones_by_country()[country]
    table = BY_COUNTRY.get(country)
    name = zone_by_postal_code(table, postal_code) if table is not None else None
    if name is None and len(zones) > 1:
        name = _phone_zone_name(phone, country, zones)
    return _zone(name or (table.main if table is not None else zones[0]))


def _phone_zone_name(phone: str, country: str, zones: tuple[str, ...]) -> str | None:
    """The number's zone when it is a number of `country` local to one of the country's zones."""
    number = _parse(phone)
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


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # a name the installed tz database lacks
        return None
