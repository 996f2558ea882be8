"""Free-form session replies (the TRACK bot, the guided exchanges): plain text inside WhatsApp's
24-hour customer service window, or a plain SMS; on WhatsApp also an interactive list to tap.
They are not template messages: never stored as a Message, never charged."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from .base import OutboundMessage, Provider, ProviderError, e164_digits
from .sandbox import SandboxWhatsAppProvider
from .whatsapp import WhatsAppCloudProvider, build_session_payload

# Meta's limits on an interactive list: at most 10 rows; titles 24, descriptions 72, the button
# 20 and the body 4096 characters; row ids 200.
MAX_ROWS = 10


@dataclass(frozen=True)
class ListRow:
    id: str  # comes back as `list_reply.id` when tapped
    title: str
    description: str = ""


def session_payload(to: str, text: str) -> dict:
    return build_session_payload(to, text)


def session_list_payload(to: str, *, body: str, button: str, rows: list[ListRow]) -> dict[str, Any]:
    """An interactive list message (one section) of at most ten rows."""
    if not rows or len(rows) > MAX_ROWS:
        raise ProviderError(f"A list has 1 to {MAX_ROWS} rows ({len(rows)} given)", code="bad_list", kind="permanent")
    return {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": e164_digits(to),
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": body[:4096]},
            "action": {
                "button": button[:20],
                "sections": [{"rows": [
                    {"id": row.id[:200], "title": row.title[:24],
                     **({"description": row.description[:72]} if row.description else {})}
                    for row in rows
                ]}],
            },
        },
    }


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


def send_session_list(provider: Provider, *, to: str, body: str, button: str, rows: list[ListRow]) -> str:
    """Send an interactive list (WhatsApp only); returns the provider's message id (raises
    ProviderError). Channels without lists get a numbered text instead (the caller's choice)."""
    payload = session_list_payload(to, body=body, button=button, rows=rows)  # bad input fails before any I/O
    if isinstance(provider, SandboxWhatsAppProvider):
        return f"wamid.SANDBOX{secrets.token_hex(16).upper()}"
    if isinstance(provider, WhatsAppCloudProvider):
        return provider.answer(provider.post(payload)).provider_message_id
    raise ProviderError(f"no session lists on {provider.channel}", code="unsupported", kind="permanent")
