"""SMS through Twilio Programmable Messaging.

`POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth
`AccountSid:AuthToken`, form fields To, From, Body and StatusCallback. The pure part builds
the form and classifies Twilio's error codes; `TwilioSmsProvider.send` is the one HTTP call.
As for WhatsApp, a 2xx answer without a `sid` is permanent ("bad_response"): Twilio took the
message, so a retry could send it twice.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests

from core.http import DEFAULT_TIMEOUT, post_body

from .base import (
    OutboundMessage,
    Provider,
    ProviderError,
    ProviderResult,
    e164_digits,
    int_or_none,
    parse_retry_after,
)
from .transport import transport_error

DEFAULT_BASE_URL = "https://api.twilio.com"
PROVIDER = "twilio"

OPT_OUT_CODES = frozenset({21610})  # the recipient replied STOP: never retry, record the opt-out
CONFIG_CODES = frozenset({20003})  # authentication failed
RATE_LIMIT_CODES = frozenset({20429})


# --- pure request/answer mapping ------------------------------------------------------------


def messages_url(base_url: str, account_sid: str) -> str:
    return f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"


def build_form(message: OutboundMessage, *, from_number: str) -> dict[str, str]:
    """The form fields of a send (raises ProviderError for a message we cannot send)."""
    if not message.body.strip():
        raise ProviderError("an SMS needs a body", code="empty_body", kind="permanent")
    form = {"To": "+" + e164_digits(message.to), "From": from_number, "Body": message.body}
    if message.status_callback_url:
        form["StatusCallback"] = message.status_callback_url
    return form


def parse_success(body: object) -> ProviderResult:
    sid = body.get("sid") if isinstance(body, dict) else None
    if not isinstance(sid, str) or not sid:
        raise ProviderError(f"Twilio accepted the request but sent no sid: {str(body)[:200]}",
                            code="bad_response", kind="permanent")
    return ProviderResult(provider_message_id=sid, provider=PROVIDER, raw=dict(body))


def classify_error(http_status: int, json_body: object, *, retry_after: float | None = None) -> ProviderError:
    """A non-2xx answer -> ProviderError, by Twilio's `code` first, then by HTTP status."""
    body: Mapping[str, Any] = json_body if isinstance(json_body, Mapping) else {}
    code = int_or_none(body.get("code"))
    label = str(code) if code is not None else f"http_{http_status}"
    text = f"Twilio HTTP {http_status}" + (f" error {code}" if code is not None else "")
    if body.get("message"):
        text += f": {str(body['message'])[:300]}"
    if code in OPT_OUT_CODES:
        return ProviderError(text, code=label, kind="opt_out")
    if code in CONFIG_CODES or http_status == 401:
        return ProviderError(text, code=label, kind="config")
    if code in RATE_LIMIT_CODES or http_status == 429 or http_status >= 500:
        return ProviderError(text, code=label, kind="transient", retry_after=retry_after)
    return ProviderError(text, code=label, kind="permanent")  # 21211 invalid number and other 4xx


# --- thin I/O layer --------------------------------------------------------------------------


class TwilioSmsProvider(Provider):
    channel = "sms"
    sends_plain_text = True
    name = PROVIDER

    def __init__(self, account_sid: str, auth_token: str, from_number: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.base_url = base_url or DEFAULT_BASE_URL
        self.url = messages_url(self.base_url, account_sid)
        # HTTP Basic auth, encoded once.
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode("ascii")
        self._headers = {"Authorization": f"Basic {credentials}", "Accept": "application/json"}

    def send(self, message: OutboundMessage) -> ProviderResult:
        self.check_channel(message)
        form = build_form(message, from_number=self.from_number)
        try:
            response = post_body(self.url, body=urlencode(form), headers=self._headers,
                                 content_type="application/x-www-form-urlencoded", timeout=DEFAULT_TIMEOUT)
        except requests.RequestException as exc:
            raise transport_error(exc, "Twilio") from exc
        try:
            body: object = response.json()
        except ValueError:
            body = None
        if 200 <= response.status_code < 300:
            return parse_success(body)
        raise classify_error(response.status_code, body,
                             retry_after=parse_retry_after(response.headers.get("Retry-After")))
