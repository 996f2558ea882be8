"""Rate limits hold over any sliding period (core/ratelimit.py): at most N requests in any 60 s,
never twice that across a clock minute's edge, with Retry-After the time until the oldest request
leaves the window. In memory (the zero-setup storage) and on Redis (CI)."""

import concurrent.futures
from unittest import mock

import pytest

from core import ratelimit
from tests.conftest import redis_url_or_skip


class Clock:
    """The time every part of the rate limit reads (ours and the `limits` storages')."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock():
    clock = Clock(1_800_000_000.0)  # a whole minute: ...:00 of a clock minute
    fake = mock.Mock(time=clock.time)
    with (
        mock.patch("core.ratelimit.time", fake),
        mock.patch("limits.storage.memory.time", fake),
        mock.patch("limits.storage.redis.time", fake),
    ):
        yield clock


@pytest.fixture
def memory_limits(settings):
    settings.RATELIMIT_STORAGE_URL = "memory://"
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def redis_limits(settings):
    settings.RATELIMIT_STORAGE_URL = redis_url_or_skip()
    ratelimit.reset()
    yield
    ratelimit.reset()


def hits(scope, identity, count):
    return [ratelimit.hit(scope, identity) for _ in range(count)]


@pytest.mark.parametrize("storage", ["memory_limits", pytest.param("redis_limits", marks=pytest.mark.redis)])
def test_a_second_batch_across_the_minutes_edge_is_refused_until_the_first_ages_out(settings, clock, request, storage):
    request.getfixturevalue(storage)
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key": "5/m"}
    # given: five calls at 59 s
    clock.now += 59
    assert all(v.allowed for v in hits("api_key", "key:abc", 5))

    # when: five more at 61 s, in the next clock minute (a fixed window would let them through)
    clock.now += 2
    second = hits("api_key", "key:abc", 5)

    # then: refused, until the first batch is 60 s old
    assert not any(v.allowed for v in second)
    assert {v.retry_after for v in second} == {58}
    clock.now += 57.9  # 118.9 s: the first batch is 59.9 s old
    assert not ratelimit.hit("api_key", "key:abc").allowed
    clock.now += 0.2  # 119.1 s
    assert all(v.allowed for v in hits("api_key", "key:abc", 5))
    assert not ratelimit.hit("api_key", "key:abc").allowed


@pytest.mark.usefixtures("memory_limits")
def test_retry_after_is_the_time_until_the_oldest_request_leaves_the_window(settings, clock):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key": "3/m"}
    for _ in range(3):
        clock.now += 10
        ratelimit.hit("api_key", "key:abc")  # at 10, 20 and 30 s

    clock.now += 10  # 40 s: the oldest (10 s) leaves at 70 s
    verdict = ratelimit.hit("api_key", "key:abc")

    assert verdict == ratelimit.Verdict(False, 30)
    clock.now += 30.5
    assert ratelimit.hit("api_key", "key:abc").allowed
    assert ratelimit.hit("api_key", "key:abc") == ratelimit.Verdict(False, 10)  # then the 20 s one


@pytest.mark.usefixtures("memory_limits")
def test_each_identity_and_scope_has_its_own_log(settings, clock):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key": "1/m", "webhook": "1/m"}
    assert ratelimit.hit("api_key", "key:a").allowed
    assert not ratelimit.hit("api_key", "key:a").allowed

    assert ratelimit.hit("api_key", "key:b").allowed
    assert ratelimit.hit("webhook", "key:a").allowed


@pytest.mark.django_db
@pytest.mark.usefixtures("memory_limits")
def test_the_api_refuses_a_key_over_its_limit_in_any_sliding_minute(settings, clock, api):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key": "3/m"}
    clock.now += 59
    assert [api.get("/api/v1/brands/").status_code for _ in range(3)] == [200] * 3

    clock.now += 2  # the next clock minute
    refused = api.get("/api/v1/brands/")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "58"
    clock.now += 58.5
    assert api.get("/api/v1/brands/").status_code == 200


# --- Redis (runs when CELERY_BROKER_URL is redis://, always on CI) ------------------------------


@pytest.mark.redis
@pytest.mark.usefixtures("redis_limits")
def test_on_redis_the_1201st_call_within_a_minute_is_refused(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key": "1200/m"}

    # 1,300 calls at once from 8 threads (8 connections): exactly 1,200 get through
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(lambda _: ratelimit.hit("api_key", "key:busy"), range(1300)))

    assert sum(v.allowed for v in verdicts) == 1200
    refused = [v for v in verdicts if not v.allowed]
    assert all(1 <= v.retry_after <= 60 for v in refused)
