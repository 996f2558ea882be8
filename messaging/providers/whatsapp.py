"""WhatsApp Business Cloud API (Meta Graph API): template messages.

`POST {base}/{phone_number_id}/messages` with a Bearer token. The pure part builds the JSON
body and classifies Meta's error codes (decided on `error.code`, not the HTTP status); the
thin `WhatsAppCloudProvider.send` does the one HTTP call through `core.http.post_body`.

A 2xx answer without `messages[0].id` is classified *permanent* ("bad_response"), not
transient: Meta accepted the request, so the template may well have gone out, and a retry
would send it (and bill it) twice. Nothing is lost by not retrying: every status webhook
carries `biz_opaque_callback_data` = our message id, so a message that was really sent is
still found and moved on by its webhooks. A read timeout has the same ambiguity but is
transient and `ambiguous` (providers/transport.py): the Graph API has no idempotency key, so
its retry waits for the webhooks that would show the first call was taken; a connection that
was never made is retried without waiting.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

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

DEFAULT_BASE_URL = "https://graph.facebook.com/v23.0"
PROVIDER = "whatsapp_cloud"

# Error codes per PROVIDERS.md. Anything else falls back on the HTTP status.
TRANSIENT_CODES = frozenset({130429, 131056, 4, 80007, 1, 2, 131000, 131016, 131057})
OPT_OUT_CODES = frozenset({131050})  # the user stopped marketing/such messages from this business
PERMANENT_CODES = frozenset({131026, 131021, 131030, 100, 131008, 131009})
CONFIG_CODES = frozenset({0, 190, 10, 131031, 131042, 368})
PAIR_RATE_LIMIT = 131056  # same recipient too often: Meta allows about one message per 6 s
PAIR_RATE_WAIT = 6.0


def is_config_code(code: int) -> bool:
    # 1320xx: template problems; 200-299: permissions.
    return code in CONFIG_CODES or 132000 <= code <= 132099 or 200 <= code <= 299


# --- pure request/answer mapping ------------------------------------------------------------


def build_session_payload(to: str, text: str, *, message_id: int | None = None) -> dict[str, Any]:
    """The JSON body of a free-form text: only inside the 24-hour customer service window (131047
    outside it). `message_id` (an outbox Message's) comes back in its status webhooks."""
    payload: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual",
                               "to": e164_digits(to), "type": "text",
                               "text": {"preview_url": True, "body": text[:4096]}}
    if message_id:
        payload["biz_opaque_callback_data"] = str(message_id)
    return payload


def build_payload(message: OutboundMessage) -> dict[str, Any]:
    """The JSON body of a send: a template, or a session text (raises ProviderError for a message
    we cannot send)."""
    if message.session:
        if not message.body.strip():
            raise ProviderError("A session message needs a text", code="empty_body", kind="permanent")
        return build_session_payload(message.to, message.body, message_id=message.message_id)
    template = message.whatsapp
    if template is None or not template.name or not template.language_code:
        raise ProviderError("WhatsApp messages need an approved template (name and language)",
                            code="missing_template", kind="config")
    body: dict[str, Any] = {"name": template.name, "language": {"code": template.language_code}}
    components: list[dict[str, Any]] = []
    if template.header_image:  # an image-header template (the delivery photo): Meta fetches the link
        components.append({
            "type": "header",
            "parameters": [{"type": "image", "image": {"link": template.header_image}}],
        })
    if template.parameters:  # an empty parameters list is refused for templates without variables
        components.append({
            "type": "body",
            "parameters": [{"type": "text", "text": str(value)} for value in template.parameters],
        })
    if template.url_button:  # the template's first button: a URL whose end is given per send
        components.append({
            "type": "button", "sub_type": "url", "index": "0",
            "parameters": [{"type": "text", "text": template.url_button}],
        })
    if components:
        body["components"] = components
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": e164_digits(message.to),
        "type": "template",
        "template": body,
        "biz_opaque_callback_data": str(message.message_id),
    }


def parse_success(body: object) -> ProviderResult:
    messages = body.get("messages") if isinstance(body, dict) else None
    first = messages[0] if isinstance(messages, list) and messages else None
    message_id = first.get("id") if isinstance(first, dict) else None
    if not isinstance(message_id, str) or not message_id:
        # Not transient: see the module docstring (a retry could send twice).
        raise ProviderError(f"WhatsApp accepted the request but sent no message id: {str(body)[:200]}",
                            code="bad_response", kind="permanent")
    return ProviderResult(provider_message_id=message_id, provider=PROVIDER, raw=dict(body))


def classify_error(http_status: int, json_body: object, *, retry_after: float | None = None) -> ProviderError:
    """A non-2xx answer -> ProviderError, by Meta's `error.code` first, then by HTTP status."""
    error = json_body.get("error") if isinstance(json_body, Mapping) else None
    error = error if isinstance(error, Mapping) else {}
    code = int_or_none(error.get("code"))
    text = _describe(http_status, code, error)
    label = str(code) if code is not None else f"http_{http_status}"
    if code is not None:
        if code in TRANSIENT_CODES:
            if retry_after is None and code == PAIR_RATE_LIMIT:
                retry_after = PAIR_RATE_WAIT
            return ProviderError(text, code=label, kind="transient", retry_after=retry_after)
        if code in OPT_OUT_CODES:
            return ProviderError(text, code=label, kind="opt_out")
        if code in PERMANENT_CODES:
            return ProviderError(text, code=label, kind="permanent")
        if is_config_code(code):
            return ProviderError(text, code=label, kind="config")
    # Unknown code (or no Graph error at all): the HTTP status is all we have.
    if http_status == 429 or http_status >= 500:
        return ProviderError(text, code=label, kind="transient", retry_after=retry_after)
    if code is None and http_status in (401, 403):
        # No Graph error at all (a proxy answered?): still an auth problem, not this message's fault.
        return ProviderError(text, code=label, kind="config")
    return ProviderError(text, code=label, kind="permanent")


def _describe(http_status: int, code: int | None, error: Mapping[str, Any]) -> str:
    head = f"WhatsApp HTTP {http_status}" + (f" error {code}" if code is not None else "")
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, Mapping) else None
    tail = [str(piece)[:300] for piece in (error.get("message"), details) if piece]
    if error.get("fbtrace_id"):
        tail.append(f"fbtrace_id={error['fbtrace_id']}")  # what Meta support asks for
    return head + (": " + " - ".join(tail) if tail else "")


# --- thin I/O layer --------------------------------------------------------------------------


class WhatsAppCloudProvider(Provider):
    channel = "whatsapp"
    name = PROVIDER

    def __init__(self, access_token: str, phone_number_id: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")

    @property
    def url(self) -> str:
        return f"{self.base_url}/{self.phone_number_id}/messages"

    def post(self, payload: dict[str, Any]) -> requests.Response:
        """The one HTTP call (template sends and session replies); transport failures as ProviderError."""
        try:
            return post_body(
                self.url, body=json.dumps(payload).encode(), content_type="application/json",
                headers={"Authorization": f"Bearer {self.access_token}", "Accept": "application/json"},
                timeout=DEFAULT_TIMEOUT,
            )
        except requests.RequestException as exc:
            raise transport_error(exc, "WhatsApp") from exc

    def send(self, message: OutboundMessage) -> ProviderResult:
        self.check_channel(message)
        return self.answer(self.post(build_payload(message)))  # bad input fails before any I/O

    @staticmethod
    def answer(response: requests.Response) -> ProviderResult:
        body = _json_or_none(response)
        if 200 <= response.status_code < 300:
            return parse_success(body)
        raise classify_error(response.status_code, body,
                             retry_after=parse_retry_after(response.headers.get("Retry-After")))


def _json_or_none(response: requests.Response) -> object:
    try:
        return response.json()
    except ValueError:  # requests' JSONDecodeError is a ValueError
        return None
