import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from messaging import throttle
from messaging.throttle import LocalTokenBucket, RedisTokenBucket
from tests.conftest import redis_url_or_skip


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def one(bucket, key: str, rate: float, burst: int) -> float:
    """One token: 0.0 when it was taken, else the wait for the next (nothing taken)."""
    taken, wait = bucket.take(key, rate, burst, 1)
    return 0.0 if taken else wait


def take_all(bucket, key: str, n: int, rate: float = 80.0, burst: int = 80) -> list[float]:
    return [one(bucket, key, rate, burst) for _ in range(n)]


# --- the in-process fallback (always runs) --------------------------------------------------


def test_a_full_bucket_lets_a_burst_through_then_asks_to_wait():
    bucket = LocalTokenBucket(clock=FakeClock())
    waits = take_all(bucket, "whatsapp:1", 81)
    assert waits[:80] == [0.0] * 80
    assert waits[80] == pytest.approx(1 / 80)


def test_tokens_refill_at_the_rate():
    clock = FakeClock()
    bucket = LocalTokenBucket(clock=clock)
    take_all(bucket, "k", 10, rate=10, burst=10)
    assert one(bucket, "k", 10, 10) == pytest.approx(0.1)
    clock.now += 0.25  # 2.5 tokens back
    assert take_all(bucket, "k", 3, rate=10, burst=10) == [0.0, 0.0, pytest.approx(0.05)]


def test_a_refused_take_takes_no_token():
    clock = FakeClock()
    bucket = LocalTokenBucket(clock=clock)
    one(bucket, "k", 1, 1)
    assert [one(bucket, "k", 1, 1) for _ in range(3)] == [pytest.approx(1.0)] * 3
    clock.now += 1.0
    assert one(bucket, "k", 1, 1) == 0.0


def test_take_grants_what_the_bucket_holds_and_says_when_the_next_token_comes():
    clock = FakeClock()
    bucket = LocalTokenBucket(clock=clock)
    assert bucket.take("k", 10, 10, 4) == (4, 0.0)
    taken, wait = bucket.take("k", 10, 10, 20)
    assert taken == 6 and wait == pytest.approx(0.1)
    assert bucket.take("k", 10, 10, 1)[0] == 0  # nothing left, and a refusal took nothing
    clock.now += 0.35  # 3.5 tokens back: whole tokens only
    assert bucket.take("k", 10, 10, 5)[0] == 3


@pytest.mark.parametrize("rate", [1000, 80, 7, 0.3])
def test_coming_back_exactly_when_the_bucket_said_finds_the_token(rate):
    clock = FakeClock()
    bucket = LocalTokenBucket(clock=clock)
    bucket.take("k", rate, 10, 10)
    for _ in range(5):
        _, wait = bucket.take("k", rate, 10, 3)
        clock.now += wait
        assert bucket.take("k", rate, 10, 1)[0] == 1


def test_the_tokens_after_the_next_come_one_every_interval_as_the_held_path_schedules():
    clock = FakeClock()
    bucket = LocalTokenBucket(clock=clock)
    taken, wait = bucket.take("k", 20, 20, 26)  # 20 now, 6 held
    assert (taken, wait) == (20, pytest.approx(0.05))
    for k in range(6):  # the k-th held token is due `wait + k / rate` from then
        clock.now = 1000.0 + wait + k / 20
        assert bucket.take("k", 20, 20, 1)[0] == 1


def test_refill_never_exceeds_the_burst():
    clock = FakeClock()
    bucket = LocalTokenBucket(clock=clock)
    take_all(bucket, "k", 5, rate=5, burst=5)
    clock.now += 3600
    assert take_all(bucket, "k", 6, rate=5, burst=5)[-1] > 0


def test_keys_have_separate_buckets():
    bucket = LocalTokenBucket(clock=FakeClock())
    assert one(bucket, "whatsapp:A", 1, 1) == 0.0
    assert one(bucket, "whatsapp:B", 1, 1) == 0.0
    assert one(bucket, "whatsapp:A", 1, 1) > 0


def test_fallback_is_thread_safe():
    bucket = LocalTokenBucket(clock=FakeClock())  # frozen clock: no refill during the race
    with ThreadPoolExecutor(max_workers=16) as pool:
        waits = list(pool.map(lambda _: one(bucket, "k", 80, 50), range(400)))
    assert waits.count(0.0) == 50


@pytest.mark.parametrize("rate, burst", [(0, 10), (-1, 10), (10, 0)])
def test_nonsense_rate_or_burst_is_refused(rate, burst):
    with pytest.raises(ValueError):
        one(LocalTokenBucket(), "k", rate, burst)


def test_take_uses_the_in_process_bucket_without_a_redis_broker(settings):
    settings.CELERY_BROKER_URL = "filesystem://"
    key = f"test:{uuid.uuid4()}"
    assert throttle.take(key, 1, rate=1, burst=2) == (1, 0.0)
    assert throttle.take(key, 1, rate=1, burst=2) == (1, 0.0)
    taken, wait = throttle.take(key, 1, rate=1, burst=2)
    assert taken == 0 and wait > 0.5


def test_whatsapp_defaults_are_metas_80_per_second():
    assert (throttle.WHATSAPP_RATE, throttle.WHATSAPP_BURST) == (80.0, 80)
    assert throttle.whatsapp_key("106540352242922") == "whatsapp:106540352242922"


# --- Redis (runs when CELERY_BROKER_URL is redis://) ----------------------------------------


@pytest.fixture
def redis_bucket():
    client = redis.Redis.from_url(redis_url_or_skip())
    key = f"test:{uuid.uuid4()}"
    yield RedisTokenBucket(client), key
    client.delete(throttle.KEY_PREFIX + key)


@pytest.mark.redis
def test_redis_bucket_lets_a_burst_through_then_asks_to_wait(redis_bucket):
    bucket, key = redis_bucket
    waits = take_all(bucket, key, 6, rate=1, burst=5)
    assert waits[:5] == [0.0] * 5
    assert 0.9 < waits[5] <= 1.0


@pytest.mark.redis
def test_redis_bucket_refills_at_the_rate(redis_bucket):
    bucket, key = redis_bucket
    take_all(bucket, key, 2, rate=20, burst=2)
    assert one(bucket, key, 20, 2) > 0
    time.sleep(0.12)  # 2.4 tokens at 20/s, capped at the burst of 2
    assert take_all(bucket, key, 2, rate=20, burst=2) == [0.0, 0.0]


@pytest.mark.redis
def test_redis_bucket_is_atomic_across_concurrent_clients(redis_bucket):
    bucket, key = redis_bucket
    url = redis_url_or_skip()
    barrier = threading.Barrier(8)

    def worker(_: int) -> list[float]:
        own = RedisTokenBucket(redis.Redis.from_url(url))  # a separate connection, like another worker
        barrier.wait()
        return [one(own, key, 0.001, 40) for _ in range(10)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        waits = [w for batch in pool.map(worker, range(8)) for w in batch]
    assert waits.count(0.0) == 40


@pytest.mark.redis
def test_redis_bucket_takes_several_tokens_in_one_call(redis_bucket):
    bucket, key = redis_bucket
    assert bucket.take(key, 1, 5, 3) == (3, 0.0)
    taken, wait = bucket.take(key, 1, 5, 10)
    assert taken == 2 and 0.9 < wait <= 1.0
    assert one(bucket, key, 1, 5) > 0


@pytest.mark.redis
def test_redis_bucket_honours_the_slots_the_held_path_schedules(redis_bucket):
    bucket, key = redis_bucket
    taken, wait = bucket.take(key, 20, 5, 11)  # 5 now, 6 held: slots of 2 due with their last token
    start = time.monotonic()  # a little after the bucket's own "now"
    assert taken == 5 and 0.04 < wait <= 0.05
    for last in (1, 3, 5):
        time.sleep(max(0.0, start + wait + last / 20 - time.monotonic()))
        assert bucket.take(key, 20, 5, 2)[0] == 2


@pytest.mark.redis
def test_redis_bucket_key_expires_once_it_would_be_full_again(redis_bucket):
    bucket, key = redis_bucket
    one(bucket, key, 80, 80)
    ttl_ms = bucket.client.pttl(throttle.KEY_PREFIX + key)
    assert 0 < ttl_ms <= 2000


@pytest.mark.redis
def test_take_uses_redis_when_the_broker_is_redis(settings, redis_bucket):
    _, key = redis_bucket
    settings.CELERY_BROKER_URL = redis_url_or_skip()
    assert throttle.take(key, 1, rate=1, burst=1) == (1, 0.0)
    taken, wait = throttle.take(key, 1, rate=1, burst=1)
    assert taken == 0 and wait > 0
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL).exists(throttle.KEY_PREFIX + key)


def test_unreachable_redis_fails_open(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert throttle.take(f"test:{uuid.uuid4()}", 7, rate=1, burst=1) == (7, 0.0)
