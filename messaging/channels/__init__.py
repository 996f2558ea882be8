"""One module per channel, owning what is specific to it: the address a message goes to and its
check, how a message is composed and previewed, which provider sends it, its pacing and its
billing hook, what the merchant may edit. Outside this package no code asks `channel == ...`:
it asks the channel (`channel_of(code).<behaviour>`).

    from messaging.channels import channel_of
    channel_of("sms").usable_address("+31612345678")
"""

from __future__ import annotations

from messaging.channels.base import MessageChannel
from messaging.channels.email import EmailChannel
from messaging.channels.sms import SmsChannel
from messaging.channels.whatsapp import WhatsAppChannel

CHANNELS: dict[str, MessageChannel] = {
    channel.code: channel for channel in (EmailChannel(), SmsChannel(), WhatsAppChannel())
}


class UnknownChannel(LookupError):
    """No channel has this code."""


def channel_of(code: str) -> MessageChannel:
    try:
        return CHANNELS[code]
    except KeyError:
        raise UnknownChannel(f"unknown channel {code!r}") from None


def channel_with(behaviour: str) -> str:
    """The code of the channel that has this behaviour (a `MessageChannel` flag such as
    `session_window`): the question says what is wanted, not which channel it is."""
    found = [code for code, channel in CHANNELS.items() if getattr(channel, behaviour)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} channels have {behaviour!r}, not one")
    return found[0]


def editable_channels() -> tuple[str, ...]:
    return tuple(code for code, channel in CHANNELS.items() if channel.editable)


__all__ = ["CHANNELS", "MessageChannel", "UnknownChannel", "channel_of", "channel_with", "editable_channels"]
