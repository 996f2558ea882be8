"""The shopper's time zone: destination country and postal code, else the phone number."""

import pytest

from tracking.shopper_zones import shopper_zone


def name(**where) -> str | None:
    zone = shopper_zone(**where)
    return zone.key if zone is not None else None


@pytest.mark.parametrize("country, postal_code, zone", [
    ("US", "94105", "America/Los_Angeles"),
    ("US", "10001", "America/New_York"),
    ("US", "60601", "America/Chicago"),
    ("US", "80202", "America/Denver"),
    ("US", "85001", "America/Phoenix"),
    ("US", "79901-1234", "America/Denver"),  # El Paso, ZIP+4
    ("US", "32501", "America/Chicago"),  # Pensacola, in Florida's Central-time panhandle
    ("US", "33101", "America/New_York"),  # Miami
    ("US", "96813", "Pacific/Honolulu"),
    ("US", "99501", "America/Anchorage"),
    ("CA", "V6B 1A1", "America/Vancouver"),
    ("CA", "m5v 2t6", "America/Toronto"),
    ("CA", "S4P 3Y2", "America/Regina"),
    ("CA", "X0A 0H0", "America/Iqaluit"),
    ("AU", "2000", "Australia/Sydney"),
    ("AU", "2880", "Australia/Broken_Hill"),
    ("AU", "6000", "Australia/Perth"),
    ("AU", "0800", "Australia/Darwin"),
    ("BR", "69005-040", "America/Manaus"),
    ("BR", "01310-100", "America/Sao_Paulo"),
    ("MX", "22000", "America/Tijuana"),
    ("MX", "77500", "America/Cancun"),
    ("MX", "06600", "America/Mexico_City"),
    ("ES", "35001", "Atlantic/Canary"),
    ("ES", "38001", "Atlantic/Canary"),
    ("ES", "28001", "Europe/Madrid"),
    ("PT", "9500-123", "Atlantic/Azores"),
    ("PT", "9000-050", "Atlantic/Madeira"),
    ("PT", "1100-148", "Europe/Lisbon"),
    ("FR", "97400", "Indian/Reunion"),
    ("FR", "97200", "America/Martinique"),
    ("FR", "75001", "Europe/Paris"),
    ("RU", "630000", "Asia/Novosibirsk"),
    ("RU", "690000", "Asia/Vladivostok"),
    ("RU", "236000", "Europe/Kaliningrad"),
    ("RU", "101000", "Europe/Moscow"),
])
def test_a_country_with_several_zones_is_resolved_by_postal_code(country, postal_code, zone):
    assert name(country=country, postal_code=postal_code) == zone


@pytest.mark.parametrize("country, zone", [
    ("US", "America/New_York"), ("CA", "America/Toronto"), ("AU", "Australia/Sydney"),
    ("BR", "America/Sao_Paulo"), ("RU", "Europe/Moscow"), ("ES", "Europe/Madrid"),
])
def test_without_a_known_postal_code_a_tabled_country_takes_its_most_populous_zone(country, zone):
    assert name(country=country) == zone
    assert name(country=country, postal_code="??") == zone


def test_a_single_zone_country_needs_no_postal_code():
    assert name(country="NL") == "Europe/Amsterdam"
    assert name(country="de", postal_code="10115") == "Europe/Berlin"


def test_another_country_takes_the_first_zone_the_tz_database_lists():
    assert name(country="ID") == "Asia/Jakarta"
    assert name(country="NI") == "America/Managua"  # not phonenumbers' approximation (Chicago)


def test_a_local_phone_number_tells_the_zone_when_the_postal_code_does_not():
    assert name(country="US", phone="+14155550123") == "America/Los_Angeles"
    assert name(country="ES", phone="+34922123456") == "Atlantic/Canary"


def test_the_postal_code_wins_over_the_phone_number():
    assert name(country="US", postal_code="10001", phone="+14155550123") == "America/New_York"


def test_a_mobile_number_without_a_place_falls_back_to_the_main_zone():
    assert name(country="ES", phone="+34612345678") == "Europe/Madrid"
    assert name(country="AU", phone="+61412345678") == "Australia/Sydney"


def test_a_phone_number_of_another_country_does_not_move_the_destination():
    assert name(country="US", phone="+31612345678") == "America/New_York"


def test_without_a_country_the_phone_number_decides():
    assert name(phone="+31612345678") == "Europe/Amsterdam"
    assert name(country="", phone="+12125550123") == "America/New_York"
    assert name(country="ZZ", phone="+61412345678") == "Australia/Sydney"


def test_nothing_known_is_none():
    assert shopper_zone() is None
    assert shopper_zone(country="ZZ", phone="not a number") is None
