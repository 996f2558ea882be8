"""Workers keep their database connection between tasks; Django's rules decide when to close it."""

from unittest import mock

import pytest
from django.conf import settings

from config.celery import app, recycle_database_connections


def test_celerys_own_close_after_every_task_is_switched_off():
    assert settings.CELERY_DB_REUSE_MAX >= 100
    assert app.conf.get("CELERY_DB_REUSE_MAX") == settings.CELERY_DB_REUSE_MAX


@pytest.mark.parametrize("eager, recycled", [(False, True), (True, False)])
def test_around_a_worker_task_connections_are_recycled_the_django_way_but_never_for_an_eager_one(eager, recycled):
    # an eager task runs in the caller's connection, inside the caller's transaction
    task = mock.Mock()
    task.request.is_eager = eager
    with mock.patch("django.db.close_old_connections") as close_old:
        recycle_database_connections(sender=task)
    assert close_old.called is recycled
