"""Sandbox providers: the default when no credentials are configured. No network at all.

Each one validates the message exactly like the real adapter (it runs the same pure builder,
so a message the sandbox accepts is one the real provider would be asked to send), returns a
realistic-looking id and puts what would have been sent in `ProviderResult.raw["request"]`.

Deterministic failures, for tests and demos:

| recipient                                  | whatsapp           | sms              | email                        |
|--------------------------------------------|--------------------|------------------|------------------------------|
| phone ending in ``0000`` (not on WhatsApp) | permanent `131026` | -                | -                            |
| phone ending in ``0001``                   | opt_out `131050`   | opt_out `21610`  | -                            |
| phone ending in ``0002``                   | -                  | permanent `21211`| -                            |
| local part ``bounce`` (or ``bounce+tag``)  | -                  | -                | permanent `recipient_refused`|

Ids: ``wamid.SANDBOX<32 hex>``, ``SM<32 hex>`` and ``<<32 hex>@sandbox.parcelcast>``.
"""

from __future__ import annotations

import secrets

from . import twilio_sms, whatsapp
from .base import OutboundMessage, Provider, ProviderError, ProviderResult, e164_digits
from .email import email_headers

NAME = "sandbox"
# A shopper who is not on WhatsApp: WhatsApp refuses the number, a text reaches it (the channel
# fallback's case, shown in the demo).
NOT_ON_WHATSAPP_SUFFIX = "0000"
INVALID_NUMBER_SUFFIX = "0002"
OPTED_OUT_SUFFIX = "0001"
BOUNCE_LOCAL_PART = "bounce"
# The table above, for people: the sandbox outbox page and the README list it (a test keeps the
# README in step). (recipient, WhatsApp, SMS, e-mail); "-" = sent normally.
MAGIC_RECIPIENTS = (
    (f"phone ending in {NOT_ON_WHATSAPP_SUFFIX}", "fails 131026 (not on WhatsApp; the fallback channel takes over)",
     "-", "-"),
    (f"phone ending in {OPTED_OUT_SUFFIX}", "opt-out 131050 (the shopper is opted out)",
     "opt-out 21610 (the shopper is opted out)", "-"),
    (f"phone ending in {INVALID_NUMBER_SUFFIX}", "-", "fails 21211 (invalid number)", "-"),
    (f"e-mail {BOUNCE_LOCAL_PART}@... (or {BOUNCE_LOCAL_PART}+tag@...)", "-", "-", "bounces (recipient_refused)"),
)


class SandboxWhatsAppProvider(Provider):
    channel = "whatsapp"
    name = NAME

    def send(self, message: OutboundMessage) -> ProviderResult:
        self.check_channel(message)
        payload = whatsapp.build_payload(message)
        digits = e164_digits(message.to)
        if digits.endswith(NOT_ON_WHATSAPP_SUFFIX):
            raise ProviderError("sandbox: (#131026) Message undeliverable", code="131026", kind="permanent")
        if digits.endswith(OPTED_OUT_SUFFIX):
            raise ProviderError("sandbox: (#131050) The user has stopped these messages", code="131050",
                                kind="opt_out")
        return ProviderResult(f"wamid.SANDBOX{secrets.token_hex(16).upper()}", NAME,
                              raw={"sandbox": True, "request": payload})


class SandboxSmsProvider(Provider):
    channel = "sms"
    sends_plain_text = True
    name = NAME

    def send(self, message: OutboundMessage) -> ProviderResult:
        self.check_channel(message)
        form = twilio_sms.build_form(message, from_number="sandbox")
        digits = e164_digits(message.to)
        if digits.endswith(INVALID_NUMBER_SUFFIX):
            raise ProviderError(f"sandbox: The 'To' number {message.to} is not a valid phone number.",
                                code="21211", kind="permanent")
        if digits.endswith(OPTED_OUT_SUFFIX):
            raise ProviderError("sandbox: Attempt to send to unsubscribed recipient", code="21610", kind="opt_out")
        return ProviderResult(f"SM{secrets.token_hex(16)}", NAME, raw={"sandbox": True, "request": form})


class SandboxEmailProvider(Provider):
    channel = "email"
    name = NAME

    def send(self, message: OutboundMessage) -> ProviderResult:
        self.check_channel(message)
        local, _, domain = message.to.strip().rpartition("@")
        if not local or not domain:
            raise ProviderError(f"{message.to!r} is not an e-mail address", code="invalid_recipient",
                                kind="permanent")
        if local.lower().split("+", 1)[0] == BOUNCE_LOCAL_PART:
            raise ProviderError(f"sandbox: 550 5.1.1 <{message.to}>: mailbox unavailable",
                                code="recipient_refused", kind="permanent")
        message_id = f"<{secrets.token_hex(16)}@sandbox.parcelcast>"
        request = {"to": message.to.strip(), "subject": message.subject, "body": message.body,
                   "html": message.html, "headers": email_headers(message, message_id)}
        return ProviderResult(message_id, NAME, raw={"sandbox": True, "request": request})
