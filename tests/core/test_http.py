"""core.http: one requests session per process on urllib3's pools, with a default timeout, its
failures as requests exceptions. Replayed with `responses` where that is enough; against a real
HTTP server on loopback (no network) where the pooling and the errors are the point."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
import requests
import responses

from core import http

URL = "https://graph.example.test/v23.0/1/messages"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up mid-way (a read timeout) is what some tests do


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def setup(self):
        super().setup()
        self.server.connections += 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, dict(self.headers), body))
        if self.server.behaviour == "slow":
            threading.Event().wait(0.5)
        answer = json.dumps({"echo": body.decode()}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        if self.server.behaviour == "cookie":
            self.send_header("Set-Cookie", "session=abc; Path=/")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def serve(httpd: _Server) -> _Server:
    httpd.connections, httpd.received, httpd.behaviour = 0, [], "ok"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def server():
    httpd = serve(_Server(("127.0.0.1", 0), _Handler))
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def fresh_session():
    http._session = None
    http._prepared.cache_clear()
    yield
    if http._session is not None:
        http._session.close()
    http._session = None
    http._prepared.cache_clear()


def url(httpd, path="/v23.0/1/messages", host="127.0.0.1", scheme="http"):
    return f"{scheme}://{host}:{httpd.server_address[1]}{path}"


def post(target: str, body=b'{"to": "+31612345678"}', **kwargs):
    return http.post_body(target, body=body, content_type="application/json",
                          headers={"Authorization": "Bearer t"}, **kwargs)


@responses.activate(assert_all_requests_are_fired=True)
def test_post_body_sends_the_body_and_headers_with_the_default_timeout():
    call = responses.post(URL, json={"ok": True})

    response = http.post_body(URL, body=b'{"a": 1}', content_type="application/json",
                              headers={"Authorization": "Bearer t"})

    sent = call.calls[0].request
    assert response.json() == {"ok": True}
    assert sent.body == b'{"a": 1}' and sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Authorization"] == "Bearer t" and sent.headers["User-Agent"] == http.USER_AGENT
    assert sent.headers["Content-Length"] == "8"
    assert sent.req_kwargs["timeout"] == http.DEFAULT_TIMEOUT


@responses.activate(assert_all_requests_are_fired=True)
def test_each_call_sends_its_own_body_and_headers_to_the_same_url():
    call = responses.post(URL, json={"ok": True})

    post(URL, body=b'{"n": 1}')
    http.post_body(URL, body="a=1&b=22", content_type="application/x-www-form-urlencoded",
                   headers={"Authorization": "Bearer rotated"})
    post(URL, body=b"{}")

    sent = [(c.request.body, c.request.headers["Content-Length"], c.request.headers["Authorization"],
             c.request.headers["Content-Type"]) for c in call.calls]
    assert sent == [(b'{"n": 1}', "8", "Bearer t", "application/json"),
                    ("a=1&b=22", "8", "Bearer rotated", "application/x-www-form-urlencoded"),
                    (b"{}", "2", "Bearer t", "application/json")]


@responses.activate(assert_all_requests_are_fired=True)
def test_a_call_without_a_timeout_gets_the_default_one():
    call = responses.get("https://api-eu.dhl.com/track/shipments", json={})

    http.http().get("https://api-eu.dhl.com/track/shipments")

    assert call.calls[0].request.req_kwargs["timeout"] == http.DEFAULT_TIMEOUT


@responses.activate(assert_all_requests_are_fired=True)
def test_redirects_are_not_followed():
    responses.post(URL, status=302, headers={"Location": "https://elsewhere.example.test/"})

    assert post(URL).status_code == 302


def test_the_pool_holds_at_least_the_calls_one_sending_task_has_in_flight(settings):
    settings.MESSAGE_SEND_CONCURRENCY = 80

    adapter = http.build_session().get_adapter(URL)

    assert adapter._pool_maxsize == 80
    settings.MESSAGE_SEND_CONCURRENCY = 4
    assert http.build_session().get_adapter(URL)._pool_maxsize == http.MIN_POOL_SIZE


def test_the_post_reaches_the_server_with_body_and_headers_and_the_json_answer_comes_back(server):
    response = post(url(server))

    assert response.status_code == 201 and response.json() == {"echo": '{"to": "+31612345678"}'}
    path, headers, body = server.received[0]
    assert path == "/v23.0/1/messages" and body == b'{"to": "+31612345678"}'
    assert headers["Authorization"] == "Bearer t" and headers["User-Agent"] == http.USER_AGENT


def test_a_provider_post_goes_straight_to_the_hosts_pool_not_through_session_send(server):
    with mock.patch.object(http.http(), "send", wraps=http.http().send) as session_send:
        response = post(url(server))

    assert session_send.call_count == 0
    assert response.status_code == 201 and response.json() == {"echo": '{"to": "+31612345678"}'}
    assert server.received[0][1]["Content-Length"] == str(len(b'{"to": "+31612345678"}'))


def test_a_post_goes_through_session_send_when_requests_send_is_wrapped(server):
    seen = []
    original = requests.adapters.HTTPAdapter.send

    def wrapped(adapter, request, **kwargs):  # as a test double or an instrumentation would
        seen.append(request.url)
        return original(adapter, request, **kwargs)

    with mock.patch.object(requests.adapters.HTTPAdapter, "send", wrapped):
        assert post(url(server)).json() == {"echo": '{"to": "+31612345678"}'}

    assert seen == [url(server)]


def test_calls_to_one_host_share_a_kept_alive_connection(server):
    for n in range(5):
        assert post(url(server), body=f'{{"n": {n}}}'.encode()).json() == {"echo": f'{{"n": {n}}}'}

    assert server.connections == 1


def test_calls_from_many_threads_each_get_a_whole_answer_and_connections_are_kept(server):
    results = {}

    def call(n):
        results[n] = post(url(server), body=f'{{"n": {n}}}'.encode()).json()

    for _ in range(2):  # the second round reuses the first round's connections
        threads = [threading.Thread(target=call, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert results == {n: {"echo": f'{{"n": {n}}}'} for n in range(20)}
    assert server.connections <= 20


def test_a_cookie_the_server_sets_is_not_sent_on_the_next_call(server):
    server.behaviour = "cookie"
    post(url(server))
    post(url(server))

    assert "Cookie" not in server.received[1][1]


def test_a_child_process_never_reuses_its_parents_connections(server):
    post(url(server))

    context = multiprocessing.get_context("fork")
    child = context.Process(target=post, args=(url(server),))
    child.start()
    child.join(10)

    assert child.exitcode == 0 and len(server.received) == 2
    assert server.connections == 2
    post(url(server))  # the parent keeps its own
    assert server.connections == 2


def test_proxies_from_the_environment_are_honoured(server, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    post("http://graph.example.test/v23.0/1/messages")
    post(url(server, "/direct"))

    assert [path for path, _, _ in server.received] == ["http://graph.example.test/v23.0/1/messages", "/direct"]


# --- failures: what the providers and carriers already catch (requests.RequestException) -------


def test_a_slow_answer_is_a_read_timeout(server):
    server.behaviour = "slow"

    with pytest.raises(requests.ReadTimeout):
        post(url(server), timeout=(1, 0.1))


def closed_port(family=socket.AF_INET, host="127.0.0.1") -> int:
    with socket.socket(family) as probe:  # a port nobody listens on
        probe.bind((host, 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_a_connection_error():
    with pytest.raises(requests.ConnectionError):
        post(f"http://127.0.0.1:{closed_port()}/x")


def test_a_connect_that_times_out_is_a_connect_timeout(server):
    with mock.patch("urllib3.connection.connection.create_connection", side_effect=TimeoutError("timed out")), \
            pytest.raises(requests.ConnectTimeout):
        post(url(server))


@pytest.mark.parametrize("target", ["http://[::1]:9/v23.0/1/messages", "https://[::1]:9/x",
                                    "http://[::1]/2010-04-01/Accounts/AC1/Messages.json"])
def test_an_ipv6_base_url_with_nobody_listening_is_a_connection_error(target):
    with pytest.raises(requests.ConnectionError):
        post(target, timeout=(1, 1))


@pytest.mark.parametrize("target", ["http://[::1:9/x", "http://[::1]:99999/x", "http://[zz::1]/x", "http:///x"])
def test_a_malformed_url_is_a_requests_error_not_a_bare_value_error(target):
    with pytest.raises(requests.RequestException):
        post(target, timeout=(1, 1))


def test_an_ipv6_base_url_reaches_a_server_listening_there():
    class _Server6(_Server):
        address_family = socket.AF_INET6

    try:
        httpd = serve(_Server6(("::1", 0), _Handler))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    try:
        assert post(url(httpd, host="[::1]")).json() == {"echo": '{"to": "+31612345678"}'}
        assert httpd.connections == 1
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def tls_server(tmp_path):
    """The same server over TLS, with a certificate of its own for 127.0.0.1 (made by openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    httpd = _Server(("127.0.0.1", 0), _Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    serve(httpd)
    yield httpd, str(cert)
    httpd.shutdown()
    httpd.server_close()


def test_https_calls_verify_the_server_and_keep_the_connection(tls_server, monkeypatch):
    httpd, cert = tls_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)  # the CA bundle requests would use

    for _ in range(3):
        assert post(url(httpd, scheme="https"), body=b"{}").json() == {"echo": "{}"}
    assert httpd.connections == 1


def test_a_server_whose_certificate_does_not_verify_is_an_ssl_error(tls_server, monkeypatch):
    httpd, _ = tls_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())  # public CAs only

    with pytest.raises(requests.exceptions.SSLError):
        post(url(httpd, scheme="https"), body=b"{}")
    assert httpd.received == []
