"""A failed HTTP call is transient, and ambiguous unless the request surely never left: a retry
after an ambiguous one waits for the provider's webhooks (dispatch/evidence.py)."""

import socket
import threading

import pytest
import requests

from core.http import post_body
from messaging.providers.transport import transport_error


def ask(url: str) -> requests.RequestException:
    with pytest.raises(requests.RequestException) as caught:
        post_body(url, body=b"{}", content_type="application/json", headers={}, timeout=(1, 0.3))
    return caught.value


@pytest.fixture
def listener():
    """A loopback server that reads the request, then (per test) answers nothing or hangs up."""
    server = socket.create_server(("127.0.0.1", 0))
    behaviour = {"hang_up": True}
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            conn.recv(65536)
            if behaviour["hang_up"]:
                conn.close()
            else:
                stop.wait(2)
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/messages", behaviour
    stop.set()
    thread.join(timeout=3)
    server.close()


def test_a_refused_connection_is_transient_and_safe_to_retry_at_once():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there

    error = transport_error(ask(f"http://127.0.0.1:{port}/messages"), "Twilio")

    assert (error.kind, error.code, error.ambiguous) == ("transient", "connection_error", False)


def test_a_connect_timeout_is_safe_to_retry_at_once():
    error = transport_error(requests.ConnectTimeout("connect timed out"), "WhatsApp")
    assert (error.kind, error.code, error.ambiguous) == ("transient", "timeout", False)


def test_an_answer_that_timed_out_after_the_request_left_is_ambiguous(listener):
    url, behaviour = listener
    behaviour["hang_up"] = False

    error = transport_error(ask(url), "WhatsApp")

    assert (error.kind, error.code, error.ambiguous) == ("transient", "timeout", True)


def test_a_connection_closed_after_the_request_left_is_ambiguous(listener):
    url, _ = listener

    error = transport_error(ask(url), "Twilio")

    assert (error.kind, error.code, error.ambiguous) == ("transient", "connection_error", True)
