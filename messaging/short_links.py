"""Short links for SMS: `/s/<code>` opens the shipment's tracking page or the unsubscribe page of
the number the SMS went to, so that an SMS with both links still fits one segment.

A code is derived, never stored: the shipment id (and what the link is for) in base62 followed by
10 base62 characters of an HMAC (SECRET_KEY) over it and over what it opens (the tracking token,
or the brand and phone number an opt-out is for). Planning therefore adds no query and no row per
message, and a code cannot be guessed (about 59 bits). A code whose shipment changed what it was
signed for (its phone number, its tracking token) or was erased no longer opens anything: the
link never opts out another number than the one the SMS went to. The redirect only ever goes to
our own tracking page or unsubscribe page, built here, never to a URL read from the request.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MAC_LENGTH = 10
_SALT = "parcelcast.messaging.short_link"
TRACK, UNSUBSCRIBE = 0, 1
_KINDS = (TRACK, UNSUBSCRIBE)
# Preview with sample data: a code as long as a real one (a shipment id of six digits).
SAMPLE_SHIPMENT_ID = 104_283


def base_url() -> str:
    return (getattr(settings, "SHORT_LINK_BASE_URL", "") or settings.PUBLIC_BASE_URL).rstrip("/")


def _b62(number: int, width: int = 0) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 62)
        digits = _ALPHABET[rest] + digits
    return digits.rjust(width, "0") or "0"


def _from_b62(text: str) -> int:
    number = 0
    for char in text:
        number = number * 62 + _ALPHABET.index(char)
    return number


def _mac(secret: str, head: str, signed_for: str) -> str:
    digest = salted_hmac(_SALT, f"{head}:{signed_for}", secret=secret, algorithm="sha256").digest()
    return _b62(int.from_bytes(digest[:8], "big") % 62**_MAC_LENGTH, _MAC_LENGTH)


def make_code(kind: int, shipment_id: int, signed_for: str) -> str:
    head = _b62(int(shipment_id) * 2 + kind)
    return head + _mac(settings.SECRET_KEY, head, signed_for)


def short_url(kind: int, shipment_id: int, signed_for: str) -> str:
    return f"{base_url()}/s/{make_code(kind, shipment_id, signed_for)}"


def signed_for(kind: int, shipment) -> str:
    """What a link of `kind` about `shipment` opens, as signed: a change of it voids the link."""
    if kind == TRACK:
        return shipment.tracking_token
    from messaging.optout_tokens import normalise_recipient

    return f"{shipment.brand_id}:{normalise_recipient(shipment.recipient_phone or '')}"


def shipment_short_urls(shipment) -> tuple[str, str]:
    """(tracking link, unsubscribe link) of an SMS about `shipment`."""
    return (short_url(TRACK, shipment.pk, signed_for(TRACK, shipment)),
            short_url(UNSUBSCRIBE, shipment.pk, signed_for(UNSUBSCRIBE, shipment)))


def sample_short_urls() -> tuple[str, str]:
    return (short_url(TRACK, SAMPLE_SHIPMENT_ID, "sample"), short_url(UNSUBSCRIBE, SAMPLE_SHIPMENT_ID, "sample"))


@dataclass(frozen=True)
class ParsedCode:
    kind: int
    shipment_id: int
    head: str
    mac: str


def parse_code(code: str) -> ParsedCode | None:
    """The parts of a well-formed code (not yet verified); None for anything else."""
    if not 1 + _MAC_LENGTH <= len(code) <= 24 or any(char not in _ALPHABET for char in code):
        return None
    head, mac = code[:-_MAC_LENGTH], code[-_MAC_LENGTH:]
    number = _from_b62(head)
    shipment_id, kind = divmod(number, 2)
    if shipment_id <= 0 or shipment_id > 2**63 - 1:
        return None
    return ParsedCode(kind=kind, shipment_id=shipment_id, head=head, mac=mac)


def verify(parsed: ParsedCode, shipment) -> bool:
    """The code was made by us for what `shipment` holds now (any current or fallback key)."""
    if shipment is None or (parsed.kind == UNSUBSCRIBE and not shipment.recipient_phone):
        return False
    value = signed_for(parsed.kind, shipment)
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(_mac(secret, parsed.head, value), parsed.mac) for secret in secrets)


def target_url(parsed: ParsedCode, shipment) -> str:
    """Our own page the code opens: the tracking page or the unsubscribe page."""
    if parsed.kind == TRACK:
        return shipment.tracking_url
    from messaging.rendering import unsubscribe_url

    return unsubscribe_url(shipment.brand_id, shipment.recipient_phone)
