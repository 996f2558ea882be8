"""Meta's Graph API `/{phone_number_id}/messages` on loopback, for the fault tests: what it answers
each recipient is the test's choice (`fate(to) -> "refuse" | "flaky" | "accept"`):

- refuse: 400 with error 131026 (the number is not on WhatsApp), every time;
- flaky: 500 with error 131000 (transient) the first time, an acceptance after;
- accept: an acceptance, `wamid.<our message id>`.

Each request notes our message id (`biz_opaque_callback_data`) and what it answered."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

from tests.chaos.conftest import serve_on_loopback


class FakeWhatsApp:
    def __init__(self, fate: Callable[[str], str] = lambda to: "accept"):
        self.fate = fate
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                message_id = int(body.get("biz_opaque_callback_data") or 0)
                to = str(body.get("to") or "")
                with fake.lock:
                    fate = fake.fate(to)
                    if fate == "flaky" and any(r["message_id"] == message_id for r in fake.requests):
                        fate = "accept"
                    fake.requests.append({"message_id": message_id, "to": to, "answer": fate})
                if fate == "refuse":
                    status, payload = 400, {"error": {"code": 131026, "message": "Message undeliverable",
                                                      "type": "OAuthException", "fbtrace_id": "chaos"}}
                elif fate == "flaky":
                    status, payload = 500, {"error": {"code": 131000, "message": "Something went wrong"}}
                else:
                    status, payload = 200, {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
                                            "messages": [{"id": f"wamid.{message_id}"}]}
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server, self.url = serve_on_loopback(Handler)

    def accepted_per_message(self) -> Counter:
        with self.lock:
            return Counter(r["message_id"] for r in self.requests if r["answer"] == "accept")

    def answered(self, answer: str) -> set[int]:
        with self.lock:
            return {r["message_id"] for r in self.requests if r["answer"] == answer}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

