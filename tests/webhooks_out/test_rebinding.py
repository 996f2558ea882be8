"""DNS rebinding: a name that resolves to a public address when checked and to a private one when
the HTTP client connects is refused at connection time; nothing reaches the private address.

A real receiver listens on 127.0.0.1 (the "internal service"); the name's DNS answers are faked at
`socket.getaddrinfo`, the one resolver the check, requests and urllib3 all use.
"""

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory
from webhooks_out.models import WebhookAttempt
from webhooks_out.sending import deliver

pytestmark = pytest.mark.django_db

NAME = "rebind.example.com"
PUBLIC = "93.184.215.14"


class _Receiver(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_POST(self):
        self.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def internal_service():
    """An HTTP server on loopback, standing for what must never be reached: its port and hits."""
    _Receiver.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Receiver.hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def rebinding_dns(monkeypatch):
    """NAME answers a public address the first time it is asked, then 127.0.0.1 (TTL 0)."""
    real = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if host != NAME:
            return real(host, port, family, type, proto, flags)
        asked.append(host)
        address = PUBLIC if len(asked) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_a_name_rebinding_to_loopback_after_the_check_is_refused_when_connecting(
        account, settings, internal_service, rebinding_dns):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    port, hits = internal_service
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(account=account, url=f"http://{NAME}:{port}/hook"))

    assert deliver(delivery.pk) == 60  # tried again later, like any refused address

    assert hits == []
    assert len(rebinding_dns) >= 2  # checked, then resolved again on connecting
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None
    assert f"Refused: {NAME} resolved to 127.0.0.1" in attempt.error


def test_with_the_setting_a_local_receiver_is_still_reached(account, settings, internal_service):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    port, hits = internal_service
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(account=account, url=f"http://127.0.0.1:{port}/h"))

    assert deliver(delivery.pk) is None

    assert hits == ["/h"]
