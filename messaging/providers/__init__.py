"""Outbound providers: one small class per channel with one method, `send(message)`.

`get_provider(channel)` picks the real adapter or the sandbox from the settings.
"""

from .base import (
    OutboundMessage,
    Provider,
    ProviderError,
    ProviderResult,
    WhatsAppTemplateCall,
)
from .registry import UnknownChannel, get_provider

__all__ = [
    "OutboundMessage",
    "Provider",
    "ProviderError",
    "ProviderResult",
    "UnknownChannel",
    "WhatsAppTemplateCall",
    "get_provider",
]
