"""The outbox sweeper and the release of held messages read their partial indexes (PostgreSQL:
runs for real in CI): their cost grows with the rows due, not with the rows stored."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from messaging import tasks
from tests.conftest import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def query_plan(rows) -> str:
    sql, params = rows.values_list("pk", flat=True)[:5000].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask what an index would do
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_sweeper_finds_stuck_messages_through_the_queued_index(queued_whatsapp):
    require_postgres()
    queued_whatsapp(3)

    plan = query_plan(tasks.stuck_messages(timezone.now()))

    assert "messaging_message_queued_idx" in plan, plan


def test_held_messages_are_released_through_the_due_index(queued_whatsapp):
    require_postgres()
    queued_whatsapp(3)

    plan = query_plan(tasks.due_messages(timezone.now() + timedelta(hours=9)))  # quiet hours over

    assert "messaging_message_due_idx" in plan, plan
