"""Workers keep their database connection between tasks; Django's rules decide when to close it."""

from unittest import mock

from django.conf import settings

from config.celery import app, recycle_database_connections


def test_celerys_own_close_after_every_task_is_switched_off():
    assert settings.CELERY_DB_REUSE_MAX >= 100
    assert app.conf.get("CELERY_DB_REUSE_MAX") == settings.CELERY_DB_REUSE_MAX


def test_around_a_worker_task_connections_are_recycled_the_django_way():
    task = mock.Mock()
    task.request.is_eager = False
    with mock.patch("django.db.close_old_connections") as close_old:
        recycle_database_connections(sender=task)
    close_old.assert_called_once_with()


def test_an_eager_task_leaves_the_callers_connection_alone():
    task = mock.Mock()
    task.request.is_eager = True
    with mock.patch("django.db.close_old_connections") as close_old:
        recycle_database_connections(sender=task)
    close_old.assert_not_called()
