"""The fallback sweep reads the partial index of undelivered WhatsApp messages (PostgreSQL: runs for
real in CI), so its cost grows with the rows due, not with the messages stored."""

import pytest
from django.db import connection
from django.utils import timezone

from messaging.dispatch import fallback
from tests.conftest import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_sweep_finds_undelivered_messages_through_their_index(brand):
    require_postgres()
    rows = fallback.undelivered(brand_ids=[brand.pk], after=30, now=timezone.now())
    sql, params = rows.values_list("pk", flat=True)[: fallback.SWEEP_BATCH].query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask what an index would do
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "messaging_message_undeliv_idx" in plan, plan
