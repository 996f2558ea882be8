"""The WhatsApp Cloud API and Twilio, faked on loopback for the dispatch benchmark.

A bare asyncio HTTP/1.1 server (keep-alive, one write per answer) on uvloop's event loop, in its
own process: it must cost the machine as little as possible, or the bench measures the fake
instead of Parcelcast (uvloop: about 44 against 69 us of CPU a request with asyncio's own loop,
measured on the dispatch bench, 10,000 requests).
It answers every send with success, the way the real APIs do, and counts the requests.

For the latency bench (`FakeProviders(record=True)`) it also notes when each message arrived
(our message id, from WhatsApp's `biz_opaque_callback_data` or the e-mail's
`X-Parcelcast-Message` header, and the wall-clock time), and serves a minimal SMTP server
beside the HTTP one (`fake.smtp_port`: EHLO, MAIL, RCPT, DATA, QUIT, every message accepted):
`fake.received()` returns {"messages": [[channel, message id, unix time], ...] for every
message taken, "smtp_sessions": SMTP connections accepted}.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import random
import secrets
import time

import uvloop

# What the fake took, when record=True: [channel, our message id, unix time], in arrival order.
_received: list | None = None
_smtp_sessions = 0
_RECEIVED_PATH = "/_bench/received"


class _Protocol(asyncio.Protocol):
    def __init__(self, counter, latency_ms=0):
        self.counter = counter
        self.latency = latency_ms / 1000
        self.buffer = b""

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            path = head.split(" ", 2)[1]
            body = self.buffer[end + 4:end + 4 + length]
            self.buffer = self.buffer[end + 4 + length:]
            if path == _RECEIVED_PATH:
                data = json.dumps({"messages": _received or [], "smtp_sessions": _smtp_sessions}).encode()
                self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                                     % (len(data), data))
                continue
            if _received is not None:
                _note(path, body)
            if self.latency:  # a real provider's round trip: half to one and a half times the mean
                asyncio.get_running_loop().call_later(random.uniform(self.latency / 2, self.latency * 1.5),
                                                      self.transport.write, _answer(path))
            else:
                self.transport.write(_answer(path))
            with self.counter.get_lock():
                self.counter.value += 1


def _note(path: str, body: bytes) -> None:
    at = time.time()
    if path.endswith("/Messages.json"):
        _received.append(["sms", None, at])
        return
    try:
        our_id = int(json.loads(body).get("biz_opaque_callback_data"))
    except (ValueError, TypeError, AttributeError):
        our_id = None
    _received.append(["whatsapp", our_id, at])


class _Smtp(asyncio.Protocol):
    """Just enough SMTP for Django's SMTP backend: every command answered 250, the DATA taken
    whole, each message noted with its X-Parcelcast-Message id."""

    def __init__(self, counter):
        self.counter = counter
        self.buffer = b""
        self.in_data = False

    def connection_made(self, transport):
        global _smtp_sessions
        _smtp_sessions += 1
        self.transport = transport
        transport.write(b"220 fake ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                message, self.buffer = self.buffer[:end], self.buffer[end + 5:]
                self.in_data = False
                our_id = None
                for line in message.split(b"\r\n"):
                    if line.lower().startswith(b"x-parcelcast-message:"):
                        our_id = int(line.split(b":", 1)[1])
                    elif not line:
                        break
                if _received is not None:
                    _received.append(["email", our_id, time.time()])
                with self.counter.get_lock():
                    self.counter.value += 1
                self.transport.write(b"250 OK queued\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line, self.buffer = self.buffer[:end], self.buffer[end + 2:]
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.transport.write(b"250-fake\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.transport.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
                return
            else:
                self.transport.write(b"250 OK\r\n")


def _answer(path: str) -> bytes:
    if path.endswith("/Messages.json"):
        status = b"201 Created"
        body = {"sid": "SM" + secrets.token_hex(16), "status": "queued", "num_segments": "1", "error_code": None}
    else:
        status = b"200 OK"
        body = {"messaging_product": "whatsapp", "contacts": [{"input": "1", "wa_id": "1"}],
                "messages": [{"id": "wamid." + secrets.token_hex(20)}]}
    data = json.dumps(body).encode()
    return b"HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (status, len(data), data)


def _serve(port, smtp_port, counter, ready, record, latency_ms) -> None:
    global _received
    _received = [] if record else None
    loop = uvloop.new_event_loop()
    server = loop.run_until_complete(loop.create_server(lambda: _Protocol(counter, latency_ms), "127.0.0.1", 0))
    port.value = server.sockets[0].getsockname()[1]
    if record:
        smtp = loop.run_until_complete(loop.create_server(lambda: _Smtp(counter), "127.0.0.1", 0))
        smtp_port.value = smtp.sockets[0].getsockname()[1]
    ready.set()
    loop.run_forever()


class FakeProviders:
    """`with FakeProviders() as fake:` serves on `fake.base_url`; `fake.requests` counts calls.
    `record=True`: also SMTP on `fake.smtp_port`, and `fake.received()` (see the module's doc).
    `latency_ms`: each HTTP answer waits a random 0.5 to 1.5 times that (0: at once)."""

    def __init__(self, *, record: bool = False, latency_ms: float = 0) -> None:
        self.record, self.latency_ms = record, latency_ms

    def __enter__(self) -> FakeProviders:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self._port, self._counter, ready = context.Value("i", 0), context.Value("q", 0), context.Event()
        self._smtp_port = context.Value("i", 0)
        self._process = context.Process(target=_serve, args=(self._port, self._smtp_port, self._counter, ready,
                                                             self.record, self.latency_ms), daemon=True)
        self._process.start()
        if not ready.wait(10):
            raise RuntimeError("the fake providers did not start")
        self.base_url = f"http://127.0.0.1:{self._port.value}"
        self.smtp_port = self._smtp_port.value
        return self

    def received(self) -> list:
        import urllib.request

        with urllib.request.urlopen(self.base_url + _RECEIVED_PATH, timeout=30) as answer:
            return json.loads(answer.read())

    @property
    def requests(self) -> int:
        return self._counter.value

    def __exit__(self, *exc) -> None:
        self._process.terminate()
        self._process.join(5)
