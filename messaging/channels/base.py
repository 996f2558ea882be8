"""What every channel answers; each channel module (email.py, sms.py, whatsapp.py) overrides
only what differs. The defaults are those of a phone-number text channel."""

from __future__ import annotations

import phonenumbers

from tracking.statuses import ALL_CODES

# Shown in previews when no shipment is chosen.
SAMPLE_RECIPIENT_PHONE = "+31612345678"
SAMPLE_RECIPIENT_EMAIL = "alex.morgan@example.com"


def message_unsubscribe_url(message) -> str:
    """The shopper's unsubscribe link, as planning stored it with the message (worked out again
    only for rows planned before it was stored)."""
    if message.unsubscribe_url:
        return message.unsubscribe_url
    from messaging.rendering import unsubscribe_url

    return unsubscribe_url(message.brand_id, message.recipient)


class MessageChannel:
    code: str = ""
    # The merchant may write their own copy (WhatsApp uses Meta-approved platform templates).
    editable: bool = True
    has_subject: bool = False
    # Longest body the merchant may save (tags may still grow it when filled).
    body_max_length: int = 1_600
    # Providers of this channel report reads: a read rate means something only for these.
    reports_reads: bool = False
    # Each message accepted by the provider is charged (price snapshot, Charge row).
    billable: bool = False
    # Switching it on the first time needs the account's explicit consent (pricing, phone data).
    needs_consent: bool = False
    # Texts are priced in parts (SMS segments): the editor shows what a text costs.
    counts_segments: bool = False
    # Texts are priced per 160 characters: links are the short `/s/<code>` ones (messaging/short_links.py)
    # and <<eta>> has no year.
    short_links: bool = False
    # The carrier or provider answers STOP/START itself (and blocks our reply to STOP).
    answers_stop_itself: bool = False
    # A session reply may offer a list to tap (WhatsApp interactive lists); else a numbered text.
    session_lists: bool = False
    # The shopper answers a message of this channel by texting back to the number it came from:
    # a question (cash on delivery's "reply YES") may ride in its text.
    takes_replies: bool = False
    # A free text (not a template) may go only inside the shopper's 24-hour window, opened by the
    # shopper's last message (WhatsApp's customer service window); a channel without one has none.
    session_window: bool = False
    # Nothing reads the shopper's replies on this channel: a question is asked with one link per
    # answer (the delivery rating's five links in an e-mail).
    asks_by_link: bool = False
    # A message of this channel that does not reach the shopper may be replaced by the next
    # channel of the brand's fallback order (sending policy; dispatch/fallback.py).
    falls_back: bool = False
    # Provider codes saying this recipient cannot be reached on this channel at all (not the
    # message's fault, nor ours): with fallback on, the next channel takes over at once.
    unreachable_codes: frozenset[str] = frozenset()
    # (state, seconds after acceptance) receipts the sandbox provider simulates.
    sandbox_receipts: tuple[tuple[str, float], ...] = ()
    # The statuses a destination country starts with when the merchant does not choose (the
    # panel offers them pre-ticked). Every status on a channel not billed per message.
    starting_statuses: tuple[str, ...] = ALL_CODES

    def address_of(self, shipment) -> str:
        """The address a message about `shipment` goes to ('' when it has none)."""
        return shipment.recipient_phone or ""

    def sample_recipient(self) -> str:
        return SAMPLE_RECIPIENT_PHONE

    def usable_address(self, address: str) -> bool:
        """An E.164 number that is a valid phone number."""
        if not address or not address.startswith("+"):
            return False
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(address, None))
        except phonenumbers.NumberParseException:
            return False

    def address_kind(self) -> str:
        """Addresses of channels of the same kind are checked once per batch (SMS and WhatsApp of
        one parcel go to the same number)."""
        return "phone"

    def allowed_for(self, account) -> bool:
        """The account may use this channel at all (plan, consent)."""
        return True

    def check_settings(self, *, account, brand, enabled: bool, countries: set[str]) -> None:
        """Refuse a configuration the account's plan or consent does not allow (RuleViolation)."""

    def segments(self, text: str):
        """What the text costs in parts (SMS); None where a channel has no such notion."""
        return None

    def sendable_text(self, text: str) -> str:
        """The rendered text as it is sent (SMS: smart-encoded into GSM-7 where possible)."""
        return text

    def platform_body(self, status: str, language: str) -> str:
        """The platform template of a channel whose copy is not editable, with `<<tags>>`."""
        raise NotImplementedError(f"{self.code} messages use editable copy")

    def platform_preview(self, status: str, language: str, values: dict[str, str]) -> str:
        raise NotImplementedError(f"{self.code} messages use editable copy")

    # Settings naming this channel's provider credentials: all set for the real provider, none for
    # the sandbox; some but not all is a configuration error (messaging/checks.py).
    credentials: tuple[str, ...] = ()

    def provider(self, get):
        """The provider that sends this channel's messages, from settings read through `get`."""
        raise NotImplementedError

    def unit_price(self, account, at):
        """(unit price, currency) of one message of this channel, or None when it is not billed."""
        return None

    def brand_providers(self, brand_ids: set[int]) -> dict:
        """brand id -> the provider of the brands that send this channel from an account of their
        own (WhatsApp: their own number); the others use the platform's provider."""
        return {}

    def receiving_sender(self, number_id: str):
        """The brand's own sender (e.g. messaging.models.WhatsAppSender) that received an inbound
        message addressed to `number_id`; None when it came to the platform's number."""
        return None

    def platform_messages(self, messages):
        """Of these Message rows, those sent from the platform's number or account (a reply to
        the platform's number answers one of them, not a message of a brand's own number)."""
        return messages

    def rate_limit(self, provider=None) -> tuple[str, float] | None:
        """(token bucket key, messages per second) when the provider limits how fast we send; the
        key names what is limited (the sending number), so `provider` is the one that sends."""
        return None

    def gate(self, messages) -> dict[int, str]:
        """Message id -> "hold" or "block" for those of these messages (this channel's, claimed
        for sending) that may not go now (dispatch/gating.py); the rest go. Cheap: one cached
        lookup per batch, no query per message."""
        return {}

    def outbound_fields(self, message) -> dict:
        """What this channel adds to the provider call (providers.base.OutboundMessage fields)."""
        return {}

    def settings_context(self, account) -> dict:
        """What the notification settings page shows about this channel for the account (plan
        limits, price, consent): nothing for most."""
        return {}

    def compose(self, composed, *, brand, resolved, values: dict[str, str], status: str) -> None:
        """Fill `composed` (dispatch.composing.Composed) from the resolved template and tag values."""
        from messaging.tags import render

        composed.body = self.sendable_text(render(resolved.body, values))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"
