"""The cap per shipment: passing statuses give way, actionable ones are never capped."""

import pytest

from messaging.policy_rules.frequency_cap import cap_suppresses


def announce(cap, journey):
    """Walk a journey through the cap: the statuses that were announced."""
    announced = []
    for status in journey:
        if not cap_suppresses(cap=cap, announced=announced, status=status):
            announced.append(status)
    return announced


def test_no_cap_suppresses_nothing():
    assert not cap_suppresses(cap=None, announced=["in_transit"] * 40, status="in_transit")


def test_the_plain_journey_fits_a_cap_of_four():
    journey = ["ready_to_ship", "in_transit", "out_for_delivery", "delivered"]

    assert announce(4, journey) == journey


def test_the_cap_never_drops_delivered_for_an_in_transit():
    journey = ["ready_to_ship", "in_transit", "in_transit", "in_transit", "out_for_delivery", "delivered"]

    assert announce(3, journey) == ["ready_to_ship", "in_transit", "delivered"]


def test_passing_statuses_stop_one_short_of_the_cap_to_keep_room_for_the_end():
    assert not cap_suppresses(cap=4, announced=["ready_to_ship", "in_transit"], status="out_for_delivery")
    assert cap_suppresses(cap=4, announced=["ready_to_ship", "in_transit", "delayed"], status="in_transit")


@pytest.mark.parametrize("status", ["delayed", "delivery_failed", "ready_for_pickup", "delivered", "return_received",
                                    "post_purchase"])
def test_an_actionable_status_is_sent_even_past_the_cap(status):
    assert not cap_suppresses(cap=2, announced=["ready_to_ship", "delayed", "delivery_failed"], status=status)


def test_a_cap_of_one_sends_only_actionable_news():
    journey = ["ready_to_ship", "in_transit", "out_for_delivery", "delivered"]

    assert announce(1, journey) == ["delivered"]
