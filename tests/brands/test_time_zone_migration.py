"""Migration 0007: existing accounts get their country's obvious zone, else UTC."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("brands", "0006_membership_language")]
AFTER = [("brands", "0007_account_time_zone")]


def test_existing_accounts_get_their_countrys_zone_else_utc():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("brands", "Account")
    ids = {code: old.objects.create(company_name=f"Shop {code}", country=code, plan="lite").pk
           for code in ("NL", "US", "JP")}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("brands", "Account")

    zones = {code: new.objects.get(pk=pk).time_zone for code, pk in ids.items()}
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert zones == {"NL": "Europe/Amsterdam", "US": "UTC", "JP": "Asia/Tokyo"}
