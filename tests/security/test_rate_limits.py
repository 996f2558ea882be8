"""Rate limits: the API per key, failed key checks per address, the public pages and webhooks per
address, the tracking lookup also per brand (more in test_lookup_limits.py, test_api_key_limits.py,
test_password_reset_limits.py). Always 429 with Retry-After."""

import re

import pytest

from config.settings import _default_cache_url
from tests.conftest import client_for
from tests.factories import ApiKeyFactory, BrandFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache(limits_from_scratch):
    yield


def assert_throttled(response):
    assert response.status_code == 429, response.status_code
    assert int(response["Retry-After"]) >= 1


def test_the_api_is_throttled_per_api_key(settings, api, account):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_key": "3/m"}
    for _ in range(3):
        assert api.get("/api/v1/brands/").status_code == 200
    assert_throttled(api.get("/api/v1/brands/"))
    # another key of the same account has its own budget
    assert client_for(ApiKeyFactory(account=account)).get("/api/v1/brands/").status_code == 200


def test_guessing_api_keys_is_throttled_per_address(settings, client, api_key):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "api_auth_failures": "3/m"}
    for n in range(3):
        response = client.get("/api/v1/brands/", HTTP_AUTHORIZATION=f"Bearer pc_{api_key.prefix}_guess{n}")
        assert response.status_code == 401
    assert_throttled(client.get("/api/v1/brands/", HTTP_AUTHORIZATION="Bearer pc_abc_guess"))
    # another address is not held back
    ok = client.get("/api/v1/brands/", HTTP_AUTHORIZATION=f"Bearer {api_key.raw}", REMOTE_ADDR="198.51.100.1")
    assert ok.status_code == 200


def test_the_tracking_lookup_is_throttled_per_address(settings, client, brand):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "tracking_lookup": "5/m"}
    for _ in range(5):
        assert client.post("/track/b/acme/", {"order_number": "X", "postal_code": "1"}).status_code == 200
    assert_throttled(client.post("/track/b/acme/", {"order_number": "X", "postal_code": "1"}))
    assert_throttled(client.get("/track/b/acme/"))
    assert_throttled(client.get("/track/b/no-such-brand/"))  # probing slugs counts too


def test_misses_of_one_brand_are_limited_across_addresses(settings, client, brand):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "tracking_lookup_brand_misses": "4/h",
                               "tracking_lookup_address_misses": "1/h"}
    for n in range(4):
        response = client.post("/track/b/acme/", {"order_number": f"A-{n + 2}", "postal_code": "1012 AB"},
                               REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 200
    # each of those addresses has had its guess: the brand's spent budget holds them back
    assert_throttled(client.post("/track/b/acme/", {"order_number": "A-9", "postal_code": "1012 AB"},
                                 REMOTE_ADDR="192.0.2.0"))
    # another brand is untouched
    other = BrandFactory(slug="other")
    assert client.post(f"/track/b/{other.slug}/", {"order_number": "A-1", "postal_code": "1"},
                       REMOTE_ADDR="192.0.2.0").status_code == 200


def test_the_lookup_answers_every_miss_the_same_way(client, brand):
    ShipmentFactory(brand=brand, order_number="A-1", to_postal_code="1012 AB")
    answers = {
        # the CSRF token is masked anew in every answer: everything else must be identical
        re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", client.post("/track/b/acme/", data).content)
        for data in (
            {"order_number": "A-1", "postal_code": "9999 ZZ"},  # right order, wrong postal code
            {"order_number": "A-2", "postal_code": "1012 AB"},  # wrong order, right postal code
            {"order_number": "", "postal_code": ""},
            {"order_number": "x" * 500, "postal_code": "1"},
        )
    }
    assert len(answers) == 1
    found = client.post("/track/b/acme/", {"order_number": "A-1", "postal_code": "1012 AB"})
    assert found.status_code == 302


@pytest.mark.parametrize("path", ["/webhooks/whatsapp/", "/webhooks/twilio/status/", "/webhooks/twilio/inbound/",
                                  "/webhooks/carriers/aftership/"])
def test_webhooks_are_throttled_per_address(settings, client, path):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "webhook": "2/m"}
    for _ in range(2):
        assert client.post(path, b"{}", content_type="application/json").status_code in (400, 403)
    assert_throttled(client.post(path, b"{}", content_type="application/json"))


def test_unsubscribe_and_tracking_pages_are_throttled(settings, client):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "unsubscribe": "2/m", "tracking_page": "2/m"}
    for _ in range(2):
        assert client.get("/unsubscribe/not-a-token/").status_code == 404
        assert client.get("/track/not-a-token/").status_code == 404
    assert_throttled(client.get("/unsubscribe/not-a-token/"))
    assert_throttled(client.get("/track/not-a-token/"))


def test_proxies_are_trusted_only_as_configured(settings, client):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "tracking_page": "1/m"}
    client.get("/track/x/", HTTP_X_FORWARDED_FOR="1.1.1.1")
    # NUM_PROXIES=0: a forged X-Forwarded-For does not buy a new budget
    assert_throttled(client.get("/track/x/", HTTP_X_FORWARDED_FOR="2.2.2.2"))
    settings.NUM_PROXIES = 1
    assert client.get("/track/x/", HTTP_X_FORWARDED_FOR="9.9.9.9, 3.3.3.3").status_code == 404


@pytest.mark.parametrize("broker, cache_url", [
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
    ("redis://:pw@redis.internal:6380/3", "redis://:pw@redis.internal:6380/4"),
    ("redis://redis.internal:6379", "redis://redis.internal:6379/1"),
    ("filesystem://", "locmemcache://parcelcast"),
])
def test_the_default_cache_is_the_brokers_redis_on_the_next_database(broker, cache_url):
    assert _default_cache_url(broker) == cache_url


def test_signed_provider_webhooks_are_never_throttled_while_junk_from_the_same_address_is(settings, client):
    """Meta posts thousands of statuses a minute from a few addresses: a signed webhook never
    spends the address's budget nor gets a 429; unsigned posts from that address do."""
    import hashlib
    import hmac
    import json

    settings.WHATSAPP_APP_SECRET = "app-secret"
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "webhook": "2/m"}
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    signature = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()

    signed = [client.post("/webhooks/whatsapp/", body, content_type="application/json",
                          HTTP_X_HUB_SIGNATURE_256=signature).status_code for _ in range(5)]
    junk = [client.post("/webhooks/whatsapp/", b"{}", content_type="application/json").status_code
            for _ in range(3)]
    signed_after = client.post("/webhooks/whatsapp/", body, content_type="application/json",
                               HTTP_X_HUB_SIGNATURE_256=signature)

    assert signed == [200] * 5
    assert junk == [403, 403, 429]
    assert signed_after.status_code == 200
