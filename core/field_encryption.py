"""Secrets stored in the database (a brand's WhatsApp access token) encrypted with Fernet.

`FIELD_ENCRYPTION_KEYS` holds one or more Fernet keys, comma separated: the first encrypts, every
one decrypts (`MultiFernet`), so a key is rotated without downtime:

1. put a new key first and keep the old ones after it, deploy: new writes use the new key and
   existing rows still decrypt;
2. run `python manage.py rotate_field_encryption` to re-encrypt every stored secret with the
   first key;
3. drop the old key, deploy.

With DEBUG on and no key set, a development key is derived from SECRET_KEY so the zero-setup run
works; with DEBUG off there is no default, and start-up stops (messaging/checks.py) once a row
needs one. Encryption never silently stores plain text: without a key it raises.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["DecryptionError", "decrypt", "encrypt", "keys", "rotate", "valid_key"]


class DecryptionError(Exception):
    """A stored secret no configured key can read (a key was dropped too early, or the row is bad)."""


def valid_key(key: str) -> bool:
    """A Fernet key: 32 bytes, url-safe base64 (`Fernet.generate_key()`)."""
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (ValueError, UnicodeEncodeError):
        return False


def keys() -> tuple[str, ...]:
    """The configured keys, first the one that encrypts; a derived one in development only."""
    configured = tuple(key for key in getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) if key)
    if configured:
        return configured
    if settings.DEBUG:
        digest = hashlib.sha256(("parcelcast-field-encryption:" + settings.SECRET_KEY).encode()).digest()
        return (base64.urlsafe_b64encode(digest).decode("ascii"),)
    return ()


def encrypt(plain: str) -> str:
    return _fernet(keys()).encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(keys()).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError("No key of FIELD_ENCRYPTION_KEYS decrypts this value.") from exc


def rotate(token: str) -> str:
    """The same secret encrypted with the first key (MultiFernet.rotate)."""
    try:
        return _fernet(keys()).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("No key of FIELD_ENCRYPTION_KEYS decrypts this value.") from exc


@lru_cache(maxsize=8)
def _fernet(configured: tuple[str, ...]) -> MultiFernet:
    if not configured:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set: it is needed to store access tokens encrypted. "
            "Generate one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
    return MultiFernet([Fernet(key.encode("ascii")) for key in configured])
