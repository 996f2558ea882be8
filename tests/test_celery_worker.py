"""A task through a real Celery worker on the real broker (Redis in CI)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from brands.tasks import touch_api_key
from config.celery import app
from tests.conftest import redis_url_or_skip
from tests.factories import ApiKeyFactory


@pytest.fixture
def real_worker(settings):
    broker = redis_url_or_skip()
    app.conf.update(task_always_eager=False, broker_url=broker)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
            yield
    finally:
        app.conf.update(task_always_eager=True)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_to_the_broker_is_run_by_a_real_worker(real_worker):
    # given a key never used
    key = ApiKeyFactory()
    used_at = timezone.now().replace(microsecond=0)

    # when the task goes through the broker to the worker
    touch_api_key.delay(key.pk, used_at.isoformat())

    # then the worker's write becomes visible
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        key.refresh_from_db()
        if key.last_used_at is not None:
            break
        time.sleep(0.1)
    assert key.last_used_at == used_at


@pytest.mark.django_db
def test_touching_a_key_never_moves_its_last_use_back():
    key = ApiKeyFactory()
    later = timezone.now().replace(microsecond=0)
    earlier = later - timezone.timedelta(hours=1)

    touch_api_key(key.pk, later.isoformat())
    touch_api_key(key.pk, earlier.isoformat())

    key.refresh_from_db()
    assert key.last_used_at == later
