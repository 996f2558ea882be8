"""Migration 0007's data step: existing accounts get their country's obvious zone, else UTC.

The step is run on today's models (accounts made before it, all in UTC, as AddField leaves them):
migrating the schema back and forth inside a test is not something every database here allows."""

import importlib

import pytest
from django.apps import apps

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("brands.migrations.0007_account_time_zone")


def test_existing_accounts_get_their_countrys_zone_else_utc():
    ids = {code: AccountFactory(country=code, time_zone="UTC").pk for code in ("NL", "US", "JP")}

    migration.set_from_country(apps, None)

    zones = dict(AccountFactory._meta.model.objects.filter(pk__in=ids.values()).values_list("country", "time_zone"))
    assert zones == {"NL": "Europe/Amsterdam", "US": "UTC", "JP": "Asia/Tokyo"}
