"""A worker process freezes what it inherited and scans its youngest GC generation less often
(config/celery.py, WORKER_GC_THRESHOLD)."""

import gc

import pytest

from config.celery import tune_garbage_collection


@pytest.fixture
def collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_new_worker_process_freezes_its_inherited_heap_and_uses_the_configured_threshold(settings, collector):
    settings.WORKER_GC_THRESHOLD = 12_345
    older_generations = gc.get_threshold()[1:]

    tune_garbage_collection()

    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (12_345, *older_generations)


def test_a_threshold_of_zero_keeps_cpythons_own(settings, collector):
    settings.WORKER_GC_THRESHOLD = 0
    before = gc.get_threshold()

    tune_garbage_collection()

    assert gc.get_threshold() == before
