"""Five failed log-ins of one username from one address lock that pair for 15 minutes: the
panel log-in and the admin log-in alike, even with the right password."""

import pytest
from django.core.cache import cache

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password, *, ip="203.0.113.7", path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_username_from_that_address(client):
    user = MembershipFactory().user
    for _ in range(5):
        assert login(client, user.username, "wrong").status_code == 200

    # then: even the right password is refused, with a message that says why
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_and_per_username(client):
    user = MembershipFactory().user
    other = MembershipFactory().user
    for _ in range(5):
        login(client, user.username, "wrong")

    assert login(client, user.username, PASSWORD, ip="198.51.100.9").status_code == 302
    client.logout()
    assert login(client, other.username, PASSWORD).status_code == 302


def test_the_lock_ends_after_its_time(client, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    user = MembershipFactory().user
    for _ in range(5):
        login(client, user.username, "wrong")
    assert "_auth_user_id" not in client.session

    import time

    time.sleep(1.1)
    assert login(client, user.username, PASSWORD).status_code == 302


def test_a_successful_log_in_clears_the_failures(client):
    user = MembershipFactory().user
    for _ in range(4):
        login(client, user.username, "wrong")
    assert login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, user.username, "wrong")
    assert login(client, user.username, PASSWORD).status_code == 302


def test_the_admin_log_in_is_locked_too(client):
    admin = UserFactory(username="admin@parcelcast.example", is_staff=True, is_superuser=True)
    for _ in range(5):
        login(client, admin.username, "wrong", path="/admin/login/")

    response = login(client, admin.username, PASSWORD, path="/admin/login/")
    assert response.status_code == 200
    assert "Too many failed log-in attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_username_is_matched_without_regard_to_case(client):
    user = MembershipFactory().user
    for _ in range(5):
        login(client, user.username.upper(), "wrong")
    assert "Too many failed" in login(client, user.username, PASSWORD).content.decode()
