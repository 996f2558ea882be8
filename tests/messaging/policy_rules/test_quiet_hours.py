"""Quiet hours in the shopper's local time: when a held message may go (a fixed clock per test)."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from messaging.policy_rules.document import DEFAULT_POLICY, Policy, QuietHours
from messaging.policy_rules.quiet_hours import next_send_time
from tracking.shopper_zones import shopper_zone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NIGHT = Policy(quiet_hours=QuietHours(enabled=True, start=time(21, 0), end=time(8, 0)))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_message_at_23_amsterdam_time_is_held_until_8_local():
    now = utc(2026, 6, 10, 21, 0)  # 23:00 CEST

    assert next_send_time(now, NIGHT, "in_transit", AMSTERDAM) == utc(2026, 6, 11, 6, 0)  # 08:00 CEST


def test_an_excepted_status_goes_at_once_in_the_night():
    now = utc(2026, 6, 10, 21, 0)

    assert next_send_time(now, NIGHT, "out_for_delivery", AMSTERDAM) is None


def test_after_midnight_the_window_ends_the_same_morning():
    now = utc(2026, 6, 10, 23, 30)  # 01:30 CEST on the 11th

    assert next_send_time(now, NIGHT, "delivered", AMSTERDAM) == utc(2026, 6, 11, 6, 0)


@pytest.mark.parametrize("local_hour, held", [(20, False), (21, True), (7, True), (8, False), (12, False)])
def test_the_window_holds_from_its_start_until_just_before_its_end(local_hour, held):
    now = datetime(2026, 6, 10, local_hour, 0, tzinfo=AMSTERDAM).astimezone(UTC)

    assert (next_send_time(now, NIGHT, "in_transit", AMSTERDAM) is not None) is held


def test_a_window_within_one_day_ends_that_day():
    lunch = Policy(quiet_hours=QuietHours(enabled=True, start=time(12, 0), end=time(14, 0)))
    now = datetime(2026, 6, 10, 13, 15, tzinfo=AMSTERDAM)

    assert next_send_time(now, lunch, "in_transit", AMSTERDAM) == datetime(2026, 6, 10, 14, 0, tzinfo=AMSTERDAM)
    assert next_send_time(now.replace(hour=11), lunch, "in_transit", AMSTERDAM) is None


def test_quiet_hours_off_or_an_unknown_zone_send_at_once():
    now = utc(2026, 6, 10, 21, 0)

    assert next_send_time(now, DEFAULT_POLICY, "in_transit", AMSTERDAM) is None
    assert next_send_time(now, NIGHT, "in_transit", None) is None


def test_on_the_spring_forward_night_the_message_still_goes_at_8_local():
    now = utc(2026, 3, 28, 22, 0)  # 23:00 CET; clocks go to summer time at 02:00

    assert next_send_time(now, NIGHT, "in_transit", AMSTERDAM) == utc(2026, 3, 29, 6, 0)  # 08:00 CEST


def test_on_the_autumn_night_the_message_still_goes_at_8_local():
    now = utc(2026, 10, 24, 21, 0)  # 23:00 CEST; clocks go back at 03:00

    assert next_send_time(now, NIGHT, "in_transit", AMSTERDAM) == utc(2026, 10, 25, 7, 0)  # 08:00 CET


def test_an_end_inside_the_spring_gap_is_read_after_the_gap():
    short = Policy(quiet_hours=QuietHours(enabled=True, start=time(23, 0), end=time(2, 30)))
    now = utc(2026, 3, 28, 23, 30)  # 00:30 CET

    ends = next_send_time(now, short, "in_transit", AMSTERDAM)

    assert ends == utc(2026, 3, 29, 1, 30)  # 03:30 CEST: 02:30 does not exist that night
    assert ends > now


def test_a_us_shopper_is_held_by_the_clock_of_their_postal_code():
    now = utc(2026, 6, 10, 5, 0)  # 22:00 in San Francisco, 01:00 in New York
    west = shopper_zone(country="US", postal_code="94105")
    east = shopper_zone(country="US", postal_code="10001")

    assert next_send_time(now, NIGHT, "in_transit", west) == utc(2026, 6, 10, 15, 0)  # 08:00 PDT
    assert next_send_time(now, NIGHT, "in_transit", east) == utc(2026, 6, 10, 12, 0)  # 08:00 EDT


def test_without_a_postal_code_the_phone_number_tells_the_clock():
    now = utc(2026, 6, 10, 5, 0)
    zone = shopper_zone(country="US", phone="+14155550123")  # a San Francisco area code

    assert next_send_time(now, NIGHT, "in_transit", zone) == utc(2026, 6, 10, 15, 0)


def test_the_canary_islands_are_an_hour_behind_madrid():
    now = utc(2026, 6, 10, 6, 30)  # 08:30 in Madrid, 07:30 in Tenerife
    canary = shopper_zone(country="ES", postal_code="38001")

    assert next_send_time(now, NIGHT, "in_transit", shopper_zone(country="ES", postal_code="28001")) is None
    assert next_send_time(now, NIGHT, "in_transit", canary) == utc(2026, 6, 10, 7, 0)
