from datetime import UTC, datetime, timedelta

import pytest

from messaging import news
from tracking.statuses import ACTIONABLE, ALL_CODES, PASSING

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_an_out_for_delivery_event_is_stale_after_twelve_hours():
    assert not news.is_stale("out_for_delivery", NOW - timedelta(hours=11, minutes=59), NOW)
    assert news.is_stale("out_for_delivery", NOW - timedelta(hours=12, seconds=1), NOW)


def test_a_three_month_old_event_is_stale_whatever_its_status():
    for status in ALL_CODES:
        assert news.is_stale(status, NOW - timedelta(days=90), NOW), status


def test_returns_stay_news_for_a_week_and_post_purchase_for_two():
    assert not news.is_stale("return_received", NOW - timedelta(days=6), NOW)
    assert news.is_stale("return_received", NOW - timedelta(days=8), NOW)
    assert not news.is_stale("post_purchase", NOW - timedelta(days=13), NOW)


def test_the_windows_setting_overrides_one_status_only(settings):
    settings.NEWS_WINDOWS = news.parse_windows("out_for_delivery=1h")
    assert news.is_stale("out_for_delivery", NOW - timedelta(hours=2), NOW)
    assert not news.is_stale("delivered", NOW - timedelta(hours=2), NOW)


@pytest.mark.parametrize("text", ["out_for_delivery", "nonsense=3h", "delivered=3 weeks", "delivered=-1h"])
def test_a_malformed_windows_setting_is_refused_naming_the_item(text):
    with pytest.raises(ValueError, match="NEWS_WINDOWS"):
        news.parse_windows(text)


def test_windows_parse_units():
    assert news.parse_windows("delivered=3d, in_transit=90m,delayed=30") == {
        "delivered": 3 * 86400, "in_transit": 90 * 60, "delayed": 30}


def test_passing_statuses_give_way_and_actionable_ones_never():
    assert all(news.gives_way(status) for status in PASSING)
    assert not any(news.gives_way(status) for status in ACTIONABLE)
    assert {"delivered", "delivery_failed", "delayed", "ready_for_pickup"} <= ACTIONABLE
