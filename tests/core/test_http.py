"""core.http: the providers' POST path is requests' own adapter (so `responses` replays it),
without the per-call work a provider call does not need."""

from unittest import mock

import pytest
import requests
import responses

from core import http

URL = "https://graph.example.test/v23.0/1/messages"


@pytest.fixture(autouse=True)
def fresh_session():
    http._session = None
    http._target.cache_clear()
    yield
    http._session = None
    http._target.cache_clear()


@responses.activate(assert_all_requests_are_fired=True)
def test_post_body_sends_the_body_and_headers_with_a_timeout():
    call = responses.post(URL, json={"ok": True})

    response = http.post_body(URL, body=b'{"a": 1}', content_type="application/json", headers={"Authorization": "Bearer t"})

    sent = call.calls[0].request
    assert response.json() == {"ok": True}
    assert sent.body == b'{"a": 1}' and sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Authorization"] == "Bearer t" and sent.headers["User-Agent"] == http.USER_AGENT
    assert sent.headers["Content-Length"] == "8"
    assert sent.req_kwargs["timeout"] == http.DEFAULT_TIMEOUT


def test_proxies_from_the_environment_are_honoured(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "api.twilio.com")

    _, graph = http._target(URL)
    _, twilio = http._target("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json")

    assert graph["proxies"].get("https") == "http://proxy.internal:3128"
    assert not twilio["proxies"].get("https")


def test_the_adapter_reuses_one_pool_per_host_until_it_is_closed():
    adapter = http.build_session().get_adapter(URL)
    request = mock.Mock(url=URL)

    first = adapter.get_connection_with_tls_context(request, True)
    assert adapter.get_connection_with_tls_context(mock.Mock(url=URL.replace("/1/", "/2/")), True) is first
    other_host = adapter.get_connection_with_tls_context(mock.Mock(url="https://api.twilio.com/x"), True)
    assert other_host is not first

    adapter.close()
    fresh = adapter.get_connection_with_tls_context(request, True)
    assert fresh is not first and fresh.pool is not None


@pytest.mark.parametrize("url", ["https://graph.example.test/v23.0/1/messages", "https://api.twilio.com",
                                 "https://api.twilio.com/x?a=1&b=%20c", "http://h.example:8080/p/q/"])
def test_the_request_path_is_requests_own_without_a_proxy_and_the_full_url_through_one(url):
    adapter = http.build_session().sender
    prepared = requests.Request("POST", url).prepare()

    assert adapter.request_url(prepared, {}) == prepared.path_url
    proxied = adapter.request_url(prepared, {"http": "http://proxy.internal:3128"})
    assert proxied == requests.adapters.HTTPAdapter().request_url(prepared, {"http": "http://proxy.internal:3128"})


def test_a_lean_pool_checks_its_ca_bundle_once():
    adapter = http.build_session().sender
    pool = adapter.get_connection_with_tls_context(mock.Mock(url=URL), True)

    with mock.patch("requests.adapters.os.path.exists", return_value=True) as exists:
        for _ in range(3):
            adapter.cert_verify(pool, URL, True, None)

    assert exists.call_count == 1 and pool.cert_reqs == "CERT_REQUIRED" and pool.ca_certs
