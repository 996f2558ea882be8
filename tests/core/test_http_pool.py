"""core.http_pool: the sending path's keep-alive pool, against a real HTTP server on loopback
(no network), reached through requests' own adapter as `post_body` reaches it."""

from __future__ import annotations

import gzip
import json
import os
import resource
import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from unittest import mock

import pytest
import requests

from core import http
from core.http_pool import KeepAlivePool, _dropped


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up mid-way is what some tests do


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def setup(self):
        super().setup()
        self.server.connections += 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, dict(self.headers), body))
        behaviour = self.server.behaviour
        if behaviour == "slow":
            threading.Event().wait(0.5)
        answer = json.dumps({"echo": body.decode()}).encode()
        headers = {"Content-Type": "application/json"}
        if behaviour == "gzip":
            answer, headers["Content-Encoding"] = gzip.compress(answer), "gzip"
        if behaviour == "close":
            headers["Connection"] = "close"
        self.send_response(201)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        if behaviour == "close":
            self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.connections, httpd.received, httpd.behaviour = 0, [], "ok"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def fresh_session():
    http._session = None
    http._target.cache_clear()
    yield
    if http._session is not None:
        http._session.close()
    http._session = None
    http._target.cache_clear()


def url(server, path="/v23.0/1/messages"):
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def the_pool() -> KeepAlivePool:
    (pool,) = http.http().sender._pools.values()
    assert isinstance(pool, KeepAlivePool)
    return pool


def post(server, body=b'{"to": "+31612345678"}', **kwargs):
    return http.post_body(url(server), body=body, content_type="application/json",
                          headers={"Authorization": "Bearer t"}, **kwargs)


def test_the_post_reaches_the_server_with_body_and_headers_and_the_json_answer_comes_back(server):
    response = post(server)

    assert response.status_code == 201 and response.json() == {"echo": '{"to": "+31612345678"}'}
    path, headers, body = server.received[0]
    assert path == "/v23.0/1/messages" and body == b'{"to": "+31612345678"}'
    assert headers["Authorization"] == "Bearer t" and headers["User-Agent"] == http.USER_AGENT
    assert headers["Content-Type"] == "application/json"


def test_calls_to_one_host_share_a_kept_alive_connection(server):
    for n in range(5):
        assert post(server, body=f'{{"n": {n}}}'.encode()).json() == {"echo": f'{{"n": {n}}}'}

    assert server.connections == 1


def test_calls_from_many_threads_each_get_a_whole_answer_of_their_own(server):
    results = {}

    def call(n):
        results[n] = post(server, body=f'{{"n": {n}}}'.encode()).json()

    threads = [threading.Thread(target=call, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == {n: {"echo": f'{{"n": {n}}}'} for n in range(20)}
    assert server.connections <= 20


def test_a_connection_the_server_closed_while_idle_is_replaced_not_used(server):
    post(server)
    (idle,) = the_pool()._idle
    idle.sock.shutdown(socket.SHUT_RDWR)  # as if the server had hung up: readable at EOF

    assert post(server).status_code == 201
    assert server.connections == 2


def test_an_answer_with_connection_close_is_not_kept(server):
    server.behaviour = "close"
    post(server)
    post(server)

    assert server.connections == 2


def test_a_gzipped_answer_is_decoded(server):
    server.behaviour = "gzip"

    assert post(server).json() == {"echo": '{"to": "+31612345678"}'}


def test_a_slow_answer_is_a_read_timeout(server):
    server.behaviour = "slow"

    with pytest.raises(requests.ReadTimeout):
        post(server, timeout=(1, 0.1))


def test_a_refused_connection_is_a_connection_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(requests.ConnectionError):
        http.post_body(f"http://127.0.0.1:{port}/x", body=b"{}", content_type="application/json", headers={})


def test_a_connect_that_times_out_is_a_connect_timeout(server):
    with mock.patch("http.client.HTTPConnection.connect", side_effect=TimeoutError("timed out")), \
            pytest.raises(requests.ConnectTimeout):
        post(server)


def test_a_child_process_never_reuses_its_parents_connections(server):
    post(server)

    with mock.patch("core.http_pool.os.getpid", return_value=the_pool()._pid + 1):
        post(server)

    assert server.connections == 2


def test_calls_through_a_proxy_or_with_a_client_certificate_keep_urllib3s_pool():
    sender = http.build_session().sender
    request = mock.Mock(url="https://graph.example.test/v23.0/1/messages")

    assert isinstance(sender.get_connection_with_tls_context(request, True), KeepAlivePool)
    proxied = sender.get_connection_with_tls_context(request, True, proxies={"https": "http://proxy.internal:3128"})
    with_certificate = sender.get_connection_with_tls_context(request, True, cert=("/c.pem", "/k.pem"))
    assert not isinstance(proxied, KeepAlivePool) and not isinstance(with_certificate, KeepAlivePool)


def test_https_pools_verify_the_server_against_the_ca_bundle_requests_chooses():
    pool = KeepAlivePool("https", "graph.example.test", None)
    pool.ca_certs = requests.certs.where()

    context = pool._context()

    assert pool.port == 443 and context.check_hostname and context.verify_mode.name == "CERT_REQUIRED"


def test_an_idle_connection_is_dropped_only_once_its_peer_has_hung_up_whatever_its_descriptor():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2100:
        pytest.skip(f"the file descriptor limit ({hard}) leaves no room above select()'s 1024")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2100), hard))
    ours, peer = socket.socketpair()
    high = socket.socket(fileno=os.dup2(ours.fileno(), 2048))  # past what select() can watch
    try:
        assert not _dropped(SimpleNamespace(sock=high))
        peer.close()
        assert _dropped(SimpleNamespace(sock=high))
    finally:
        high.close()
        ours.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


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
    httpd.connections, httpd.received, httpd.behaviour = 0, [], "ok"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd, str(cert)
    httpd.shutdown()
    httpd.server_close()


def https_url(httpd):
    return f"https://127.0.0.1:{httpd.server_address[1]}/v23.0/1/messages"


def test_https_calls_verify_the_server_and_keep_the_connection(tls_server, monkeypatch):
    httpd, cert = tls_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)  # the CA bundle requests would use

    for _ in range(3):
        response = http.post_body(https_url(httpd), body=b"{}", content_type="application/json", headers={})
        assert response.json() == {"echo": "{}"}
    assert httpd.connections == 1


def test_a_server_whose_certificate_does_not_verify_is_an_ssl_error(tls_server, monkeypatch):
    httpd, _ = tls_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())  # public CAs only

    with pytest.raises(requests.exceptions.SSLError):
        http.post_body(https_url(httpd), body=b"{}", content_type="application/json", headers={})
    assert httpd.received == []
