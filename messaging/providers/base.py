"""The provider interface: what every outbound channel adapter takes, returns and raises.

One small class per channel with one method, `send(message) -> ProviderResult`. A failure is
a `ProviderError` whose `kind` tells the sending task what to do next:

- ``transient``: try again later (timeouts, 5xx, rate limits); `retry_after` when known;
- ``permanent``: this message will never go out as it is (bad number, undeliverable...);
- ``config``: our/the merchant's setup is wrong (token, template, account): alert, don't retry;
- ``opt_out``: the recipient told the provider to stop: record the opt-out, never retry.

Nothing here touches the network or Django settings.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Literal

Channel = Literal["email", "sms", "whatsapp"]
ErrorKind = Literal["transient", "permanent", "config", "opt_out"]
CHANNELS: tuple[str, ...] = ("email", "sms", "whatsapp")
ERROR_KINDS: frozenset[str] = frozenset({"transient", "permanent", "config", "opt_out"})


@dataclass(frozen=True)
class WhatsAppTemplateCall:
    """A Meta template message: approved template name, its language, the body parameters and
    the dynamic end of its URL button's link (the recipient's unsubscribe link), if it has one."""

    name: str
    language_code: str
    parameters: tuple[str, ...]
    url_button: str = ""
    header_image: str = ""  # the link of the header's image, for templates with an image header


@dataclass(frozen=True)
class OutboundMessage:
    message_id: int  # our Message row id: correlates webhooks and makes retries idempotent
    channel: Channel
    to: str  # E.164 ("+31612345678") for sms/whatsapp, an address for email
    body: str
    subject: str = ""
    html: str = ""
    whatsapp: WhatsAppTemplateCall | None = None
    unsubscribe_url: str = ""
    from_name: str = ""
    reply_to: str = ""
    status_callback_url: str = ""
    # A free-form session message (a merchant's answer inside the 24-hour window), not a template.
    session: bool = False

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}")


@dataclass(frozen=True)
class ProviderResult:
    provider_message_id: str
    provider: str
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


class ProviderError(Exception):
    """A send that did not go out (or whose outcome we cannot trust).

    `ambiguous`: the request may have reached the provider all the same (the answer timed out
    or the connection broke after the request was written): the provider may have taken it, so
    a retry waits for the evidence its status webhooks would bring (dispatch/evidence.py).
    """

    def __init__(self, message: str, *, code: str, kind: ErrorKind, retry_after: float | None = None,
                 ambiguous: bool = False) -> None:
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown provider error kind {kind!r}")
        super().__init__(message)
        self.message = message
        self.code = code
        self.kind = kind
        self.retry_after = retry_after
        self.ambiguous = ambiguous

    @property
    def transient(self) -> bool:
        return self.kind == "transient"

    def __repr__(self) -> str:
        return (f"ProviderError({self.message!r}, code={self.code!r}, kind={self.kind!r}, "
                f"retry_after={self.retry_after!r}, ambiguous={self.ambiguous!r})")


class Provider(ABC):
    channel: ClassVar[Channel]
    # A plain text can be sent outside any template (SMS): free-form session replies use send().
    sends_plain_text: ClassVar[bool] = False
    name: ClassVar[str]

    @abstractmethod
    def send(self, message: OutboundMessage) -> ProviderResult:
        """Send one message; raise ProviderError when it did not go out."""

    def check_channel(self, message: OutboundMessage) -> None:
        # A message routed to the wrong adapter is a programming error: fail before any I/O.
        if message.channel != self.channel:
            raise ProviderError(
                f"{self.name} sends {self.channel}, not {message.channel}", code="wrong_channel", kind="config",
            )


# --- small helpers shared by the adapters -------------------------------------------------

_E164 = re.compile(r"^\+?([1-9]\d{6,14})$")


def e164_digits(number: str) -> str:
    """The digits of an E.164 number ("+31612345678" -> "31612345678"); permanent error otherwise."""
    match = _E164.match((number or "").strip())
    if not match:
        raise ProviderError(f"{number!r} is not an E.164 phone number", code="invalid_recipient", kind="permanent")
    return match.group(1)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def int_or_none(value: object) -> int | None:
    """A provider's error code as a number (they come as numbers or strings), None if it is not one."""
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
