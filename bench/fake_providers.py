"""The WhatsApp Cloud API and Twilio, faked on loopback for the dispatch benchmark.

A bare asyncio HTTP/1.1 server (keep-alive, one write per answer) in its own process: it must
cost the machine as little as possible, or the bench measures the fake instead of Parcelcast.
It answers every send with success, the way the real APIs do, and counts the requests.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import secrets


class _Protocol(asyncio.Protocol):
    def __init__(self, counter):
        self.counter = counter
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
            self.buffer = self.buffer[end + 4 + length:]
            self.transport.write(_answer(path))
            with self.counter.get_lock():
                self.counter.value += 1


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


def _serve(port, counter, ready) -> None:
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(lambda: _Protocol(counter), "127.0.0.1", 0))
    port.value = server.sockets[0].getsockname()[1]
    ready.set()
    loop.run_forever()


class FakeProviders:
    """`with FakeProviders() as fake:` serves on `fake.base_url`; `fake.requests` counts calls."""

    def __enter__(self) -> FakeProviders:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self._port, self._counter, ready = context.Value("i", 0), context.Value("q", 0), context.Event()
        self._process = context.Process(target=_serve, args=(self._port, self._counter, ready), daemon=True)
        self._process.start()
        if not ready.wait(10):
            raise RuntimeError("the fake providers did not start")
        self.base_url = f"http://127.0.0.1:{self._port.value}"
        return self

    @property
    def requests(self) -> int:
        return self._counter.value

    def __exit__(self, *exc) -> None:
        self._process.terminate()
        self._process.join(5)
