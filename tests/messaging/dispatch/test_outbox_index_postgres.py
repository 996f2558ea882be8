"""The outbox sweeper reads the partial index of queued messages (PostgreSQL: runs for real in CI)."""

import pytest
from django.db import connection
from django.utils import timezone

from messaging import tasks
from tests.conftest import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_sweeper_finds_stuck_messages_through_the_queued_index(queued_whatsapp):
    require_postgres()
    queued_whatsapp(3)
    query = tasks.stuck_messages(timezone.now()).values_list("pk", flat=True)[:5000]
    sql, params = query.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask what an index would do
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "messaging_message_queued_idx" in plan, plan
