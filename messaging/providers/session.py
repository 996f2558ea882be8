"""Free-form session replies (the TRACK bot): plain text inside WhatsApp's 24-hour customer
service window, or a plain SMS. They are not template messages: never stored as a Message,
never charged."""

from __future__ import annotations

import secrets

from .base import OutboundMessage, Provider, ProviderError
from .sandbox import SandboxWhatsAppProvider
from .whatsapp import WhatsAppCloudProvider, build_session_payload


def session_payload(to: str, text: str) -> dict:
    return build_session_payload(to, text)


def send_session_text(provider: Provider, *, to: str, text: str) -> str:
    """Send `text` to `to`; returns the provider's message id (raises ProviderError)."""
    if isinstance(provider, SandboxWhatsAppProvider):
        session_payload(to, text)
        return f"wamid.SANDBOX{secrets.token_hex(16).upper()}"
    if isinstance(provider, WhatsAppCloudProvider):
        return provider.answer(provider.post(session_payload(to, text))).provider_message_id
    if provider.sends_plain_text:  # SMS: a session reply is just a text
        return provider.send(OutboundMessage(message_id=0, channel=provider.channel, to=to, body=text)).provider_message_id
    raise ProviderError(f"no session replies on {provider.channel}", code="unsupported", kind="permanent")
