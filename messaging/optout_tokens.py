"""Signed unsubscribe tokens: who (recipient) opts out of which brand, without a database row.

The token is `django.core.signing` over (brand id, recipient), so a shopper can only unsubscribe
the address the message went to, and a token for one brand never unsubscribes from another.
Tokens do not expire: an unsubscribe link in an old message must keep working. Rotating
SECRET_KEY invalidates them (SECRET_KEY_FALLBACKS keeps old links working during a rotation).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing

_SALT = "parcelcast.messaging.optout"


class BadOptOutToken(ValueError):
    """A token that was not made by us, was altered, or is not shaped like an opt-out token."""


@dataclass(frozen=True)
class OptOutTarget:
    brand_id: int
    recipient: str


def normalise_recipient(recipient: str) -> str:
    """Phone numbers are E.164 already; e-mail addresses compare case-insensitively."""
    recipient = (recipient or "").strip()
    return recipient.lower() if "@" in recipient else recipient


def make_optout_token(brand_id: int, recipient: str) -> str:
    """A URL-safe token for /unsubscribe/<token>/."""
    return _token(settings.SECRET_KEY, int(brand_id), normalise_recipient(recipient))


@lru_cache(maxsize=8192)
def _token(secret_key: str, brand_id: int, recipient: str) -> str:
    """Signed once per process and recipient: planning puts the link in a message's text, the
    sender in its WhatsApp button or e-mail header. Tokens never expire, so an earlier one
    serves as well as a new one; a new SECRET_KEY (part of the key here) signs anew."""
    return signing.dumps([brand_id, recipient], salt=_SALT)


def read_optout_token(token: str) -> OptOutTarget:
    """The (brand id, recipient) a token was made for; BadOptOutToken when it does not verify."""
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise BadOptOutToken("This unsubscribe link is not valid.") from None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or isinstance(value[0], bool)
        or not isinstance(value[1], str)
    ):
        raise BadOptOutToken("This unsubscribe link is not valid.")
    return OptOutTarget(brand_id=value[0], recipient=value[1])
