"""Bad API keys slow down whoever sends them: per client address for bad keys only, and per key
prefix for guesses at one key's secret. A valid key from the same address (an office or a NAT
shared with the guesser) keeps working."""

from unittest import mock

import pytest

from brands.models import hash_key
from tests.factories import ApiKeyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_from_scratch")]

OFFICE = "203.0.113.20"


def get(client, raw, address=OFFICE):
    return client.get("/api/v1/brands/", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR=address)


def test_a_valid_key_works_after_another_client_at_its_address_sent_bad_keys(settings, client, api_key):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_auth_failures": "3/m"}
    for n in range(5):
        get(client, f"pc_{n:012x}_guess")

    assert get(client, api_key.raw).status_code == 200


def test_bad_keys_past_the_address_limit_are_answered_429(settings, client):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_auth_failures": "3/m"}
    for n in range(3):
        assert get(client, f"pc_{n:012x}_guess").status_code == 401

    response = get(client, "pc_ffffffffffff_guess")

    assert response.status_code == 429 and int(response["Retry-After"]) >= 1


def test_guessing_the_secret_of_one_key_is_refused_before_any_check(settings, client, api_key):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key_prefix_failures": "3/h",
                               "api_key_prefix_failures_per_address": "1/h"}
    for n in range(3):
        assert get(client, f"pc_{api_key.prefix}_guess{n}").status_code == 401

    with mock.patch("brands.authentication.hash_key", wraps=hash_key) as check:
        wrong = get(client, f"pc_{api_key.prefix}_guess9")
        right = get(client, api_key.raw)

    # then: the guessing address is refused for this key, whatever secret it sends
    assert wrong.status_code == right.status_code == 429
    check.assert_not_called()


def test_the_owner_of_a_guessed_key_keeps_using_it_from_another_address(settings, client, api_key):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key_prefix_failures": "3/h",
                               "api_key_prefix_failures_per_address": "1/h"}
    for n in range(3):
        get(client, f"pc_{api_key.prefix}_guess{n}")

    assert get(client, api_key.raw, address="198.51.100.30").status_code == 200


def test_other_keys_at_the_guessing_address_keep_working(settings, client, api_key, account):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key_prefix_failures": "3/h",
                               "api_key_prefix_failures_per_address": "1/h"}
    colleague = ApiKeyFactory(account=account)
    for n in range(3):
        get(client, f"pc_{api_key.prefix}_guess{n}")

    assert get(client, colleague.raw).status_code == 200


def test_a_new_address_gets_a_few_guesses_at_a_key_under_attack(settings, client, api_key):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key_prefix_failures": "3/h",
                               "api_key_prefix_failures_per_address": "1/h"}
    for n in range(3):
        get(client, f"pc_{api_key.prefix}_guess{n}", address=f"192.0.2.{n}")

    newcomer = "198.51.100.31"
    assert get(client, f"pc_{api_key.prefix}_typo", address=newcomer).status_code == 401
    assert get(client, f"pc_{api_key.prefix}_typo", address=newcomer).status_code == 429
