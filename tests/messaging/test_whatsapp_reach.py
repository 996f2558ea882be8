"""`whatsapp_reach.admit`: the different shoppers a portfolio reaches in 24 h, in Redis (shared
by every worker) and in-process (zero-setup)."""

import threading
import uuid

import pytest
import redis

from messaging import whatsapp_reach
from tests.conftest import redis_url_or_skip


@pytest.fixture
def in_redis(settings):
    url = redis_url_or_skip()
    settings.CELERY_BROKER_URL = url
    portfolio = f"test-{uuid.uuid4()}"
    yield portfolio
    redis.Redis.from_url(url).delete(whatsapp_reach.KEY_PREFIX + portfolio)


@pytest.mark.redis
def test_new_shoppers_are_admitted_while_there_is_room_and_known_ones_always(in_redis):
    assert whatsapp_reach.admit(in_redis, ["+31600000011", "+31600000012"], limit=3) == {"+31600000011",
                                                                                          "+31600000012"}
    assert whatsapp_reach.admit(in_redis, ["+31600000013", "+31600000014"], limit=3) == {"+31600000013"}
    assert whatsapp_reach.admit(in_redis, ["+31600000011", "+31600000015"], limit=3) == {"+31600000011"}


@pytest.mark.redis
def test_workers_admitting_at_once_never_exceed_the_limit(in_redis):
    admitted: list[set] = []
    barrier = threading.Barrier(6)

    def worker(n):
        barrier.wait()
        admitted.append(whatsapp_reach.admit(in_redis, [f"+316000{n:02d}{k:03d}" for k in range(10)], limit=25))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(len(found) for found in admitted) == 25


def test_in_process_the_same_rules_hold(settings):
    settings.CELERY_BROKER_URL = "memory://"
    whatsapp_reach.forget_all()

    assert whatsapp_reach.admit("p", ["+31600000011", "+31600000012"], limit=2) == {"+31600000011", "+31600000012"}
    assert whatsapp_reach.admit("p", ["+31600000013", "+31600000011"], limit=2) == {"+31600000011"}
    assert whatsapp_reach.admit("p", ["+31600000013"], limit=0) == {"+31600000013"}  # 0: unlimited
    whatsapp_reach.forget_all()
