"""Free-form session replies (the TRACK bot): plain text inside WhatsApp's 24-hour customer
service window, or a plain SMS. They are not template messages: never stored as a Message,
never charged."""

from __future__ import annotations

import secrets

import requests

from config.http import DEFAULT_TIMEOUT, http

from .base import OutboundMessage, Provider, ProviderError, e164_digits
from .sandbox import SandboxWhatsAppProvider
from .whatsapp import WhatsAppCloudProvider, classify_error, parse_success


def session_payload(to: str, text: str) -> dict:
    return {"messaging_product": "whatsapp", "to": e164_digits(to), "type": "text",
            "text": {"preview_url": True, "body": text[:4096]}}


def send_session_text(provider: Provider, *, to: str, text: str) -> str:
    """Send `text` to `to`; returns the provider's message id (raises ProviderError)."""
    if isinstance(provider, SandboxWhatsAppProvider):
        session_payload(to, text)
        return f"wamid.SANDBOX{secrets.token_hex(16).upper()}"
    if isinstance(provider, WhatsAppCloudProvider):
        try:
            response = http().post(
                provider.url, json=session_payload(to, text), timeout=DEFAULT_TIMEOUT,
                headers={"Authorization": f"Bearer {provider.access_token}"},
            )
        except requests.RequestException as exc:
            raise ProviderError(f"WhatsApp unreachable: {type(exc).__name__}", code="connection_error",
                                kind="transient") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if 200 <= response.status_code < 300:
            return parse_success(body).provider_message_id
        raise classify_error(response.status_code, body)
    if provider.channel == "sms":
        return provider.send(OutboundMessage(message_id=0, channel="sms", to=to, body=text)).provider_message_id
    raise ProviderError(f"no session replies on {provider.channel}", code="unsupported", kind="permanent")
