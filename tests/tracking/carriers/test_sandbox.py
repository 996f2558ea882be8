from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
import responses

from tracking.carriers.base import TrackingQuery
from tracking.carriers.sandbox import SCENARIOS, SandboxAdapter, scenario_for
from tracking.statuses import ALL_CODES, Status

START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
STEP = 120
LATER = START + timedelta(days=1)  # every journey is over by then
# A number without keyword that the hash sends down the happy path.
HAPPY = next(f"PC{n:06d}" for n in range(100) if scenario_for(f"PC{n:06d}").name == "happy")


@pytest.fixture
def adapter() -> SandboxAdapter:
    return SandboxAdapter(step_seconds=STEP)


def fetch_one(adapter, number, *, now=LATER, country="DE", started_at=START):
    # No HTTP is registered: any network call would fail the test.
    with responses.RequestsMock(assert_all_requests_are_fired=True):
        [result] = adapter.fetch([TrackingQuery(number, started_at, country)], now=now)
    return result


def statuses(result) -> list[str]:
    return [e.status for e in result.events]


def test_same_number_tells_the_same_story_every_time(adapter):
    first = fetch_one(adapter, HAPPY)
    second = fetch_one(SandboxAdapter(step_seconds=STEP), HAPPY)

    assert first == second


def test_only_steps_whose_time_has_come_are_returned(adapter):
    now = START + timedelta(seconds=4 * STEP)

    happy = fetch_one(adapter, HAPPY, now=now - timedelta(seconds=1))
    delayed = fetch_one(adapter, "PC-DELAY-1", now=now)

    assert [e.raw_code for e in happy.events] == ["LABEL", "ACCEPTED", "HUB_IN"]
    assert [e.raw_code for e in delayed.events] == ["LABEL", "ACCEPTED", "HUB_IN", "DELAY"]  # a step at `now` counts


def test_nothing_has_happened_before_the_start(adapter):
    result = fetch_one(adapter, HAPPY, now=START - timedelta(seconds=1))

    assert result.events == ()
    assert result.expected_delivery == START.date()
    assert result.error is None


def test_journey_grows_as_time_passes_and_never_rewrites_the_past(adapter):
    early = fetch_one(adapter, "PC-FAIL-7", now=START + timedelta(seconds=5 * STEP))
    late = fetch_one(adapter, "PC-FAIL-7")

    assert late.events[: len(early.events)] == early.events
    assert len(late.events) > len(early.events)


def test_step_seconds_spaces_the_events(adapter):
    result = fetch_one(SandboxAdapter(step_seconds=3600), HAPPY)

    assert result.events[1].occurred_at - result.events[0].occurred_at == timedelta(hours=1)


def test_happy_path_goes_from_label_to_delivered(adapter):
    assert statuses(fetch_one(adapter, HAPPY)) == [Status.READY_TO_SHIP] + [Status.IN_TRANSIT] * 4 + [
        Status.OUT_FOR_DELIVERY, Status.DELIVERED]
    assert scenario_for(HAPPY) == scenario_for(HAPPY.lower())  # the hash ignores case, like the keywords


def test_pickup_keyword_ends_at_a_pickup_point_then_delivered(adapter):
    result = fetch_one(adapter, "pc-pickup-1", country="FR")

    assert statuses(result)[-2:] == [Status.READY_FOR_PICKUP, Status.DELIVERED]
    assert "Tabac de la Gare" in result.events[-2].location and result.events[-2].location.endswith(", FR")


def test_fail_keyword_gives_a_failed_attempt_then_redelivery(adapter):
    assert statuses(fetch_one(adapter, "PC-FAIL-1"))[-4:] == [
        Status.OUT_FOR_DELIVERY, Status.DELIVERY_FAILED, Status.OUT_FOR_DELIVERY, Status.DELIVERED]


def test_delay_keyword_gives_a_delay_then_delivery(adapter):
    result = statuses(fetch_one(adapter, "PC-DELAY-1"))

    assert Status.DELAYED in result and result[-1] == Status.DELIVERED


def test_return_keyword_gives_delivery_then_the_return_flow(adapter):
    assert statuses(fetch_one(adapter, "PC-RETURN-1"))[-4:] == [
        Status.DELIVERED, Status.RETURN_LABEL_CREATED, Status.RETURN_DROPPED_OFF, Status.RETURN_RECEIVED]


def test_lost_keyword_gets_stuck_as_delayed(adapter):
    result = statuses(fetch_one(adapter, "PC-LOST-1"))

    assert result[-1] == Status.DELAYED and Status.DELIVERED not in result


def test_notfound_keyword_gives_a_not_found_error(adapter):
    result = fetch_one(adapter, "PC-NOTFOUND-1")

    assert result.error.kind == "not_found" and result.events == ()


def test_first_keyword_in_documented_order_wins():
    assert scenario_for("RETURNFAIL").name == "return"


def test_numbers_without_keyword_are_mostly_happy_and_still_varied():
    picked = Counter(scenario_for(f"PC{n:08d}").name for n in range(400))

    assert picked.most_common(1)[0][0] == "happy"
    assert set(picked) == set(SCENARIOS) - {"stuck"}  # a silent carrier only when asked for


def test_stuck_keyword_scans_out_of_the_hub_and_then_says_nothing_ever(adapter):
    result = fetch_one(adapter, "PC-STUCK-1")

    assert [e.raw_code for e in result.events] == ["LABEL", "ACCEPTED", "HUB_IN", "HUB_OUT"]
    assert result.events[-1].status == Status.IN_TRANSIT


def test_external_ids_are_stable_and_unique_within_a_journey(adapter):
    first = fetch_one(adapter, "PC-FAIL-2")
    restarted = fetch_one(adapter, "PC-FAIL-2", started_at=START + timedelta(minutes=1))

    ids = [e.external_id for e in first.events]
    assert len(set(ids)) == len(ids)
    assert ids == [e.external_id for e in restarted.events]


def test_events_are_aware_utc_even_for_a_naive_start(adapter):
    result = fetch_one(adapter, HAPPY, started_at=START.replace(tzinfo=None))

    assert all(e.occurred_at.tzinfo == timezone.utc for e in result.events)
    assert result.events[0].occurred_at == START


def test_locations_belong_to_the_destination_country(adapter):
    nl = fetch_one(adapter, HAPPY, country="nl")
    unknown = fetch_one(adapter, HAPPY, country="JP")

    assert all(e.location.endswith(", NL") for e in nl.events)
    assert all(e.location.endswith(", DE") for e in unknown.events)  # a plausible default


def test_expected_delivery_is_the_planned_delivery_step(adapter):
    result = fetch_one(SandboxAdapter(step_seconds=86400), HAPPY)

    assert result.expected_delivery == date(2025, 1, 15)  # 9 steps of a day after the start


def test_every_step_maps_to_a_known_status():
    for scenario in SCENARIOS.values():
        for step in scenario.steps:
            assert SandboxAdapter.map_status(step.raw_code, step.text) in ALL_CODES


def test_unknown_sandbox_code_maps_to_none():
    assert SandboxAdapter.map_status("TELEPORTED", "") is None


def test_step_seconds_must_be_positive():
    with pytest.raises(ValueError):
        SandboxAdapter(step_seconds=0)
