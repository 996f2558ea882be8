"""Base fixtures: an account with a key and a member (`account`, `api`), and an outsider
account (`outsider`, `outsider_api`) that must never see the first one's data."""

import os
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import AccountFactory, ApiKeyFactory, BrandFactory, MembershipFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_postgres() -> None:
    """Skip off CI when the database is not PostgreSQL; under CI=true fail instead of skipping."""
    if connection.vendor == "postgresql":
        return
    if IN_CI:
        pytest.fail("CI=true but DATABASE_URL is not PostgreSQL: this test must run for real in CI.")
    pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...; runs for real in CI)")


def redis_url_or_skip() -> str:
    """The Redis broker URL; skip off CI when there is none, fail under CI=true."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if url.startswith("redis://"):
        return url
    if IN_CI:
        pytest.fail("CI=true but CELERY_BROKER_URL is not Redis: this test must run for real in CI.")
    pytest.skip("needs Redis (set CELERY_BROKER_URL=redis://...; runs for real in CI)")


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1) -> bool:
    """Poll `predicate` until it is true (True) or `timeout` seconds have passed (False): for
    tests that watch real workers, servers or brokers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def client_for(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key.raw}")
    return client


@pytest.fixture(autouse=True)
def _no_cached_webhook_listeners():
    """The listener map is cached per process (webhooks_out.subscriptions): a test starts without
    the endpoints of the one before, whose rows were rolled back."""
    from webhooks_out.subscriptions import clear

    clear()
    yield
    clear()


@pytest.fixture
def account(db):
    return AccountFactory(company_name="Acme Parcels B.V.")


@pytest.fixture
def api_key(account):
    return ApiKeyFactory(account=account)


@pytest.fixture
def api(api_key) -> APIClient:
    return client_for(api_key)


@pytest.fixture
def member(account):
    return MembershipFactory(account=account).user


@pytest.fixture
def panel(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def brand(account):
    return BrandFactory(account=account, name="Acme", slug="acme")


@pytest.fixture
def outsider(db):
    return AccountFactory(company_name="Outsider Ltd")


@pytest.fixture
def outsider_api(outsider) -> APIClient:
    return client_for(ApiKeyFactory(account=outsider))
