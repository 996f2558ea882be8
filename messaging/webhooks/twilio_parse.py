"""Twilio webhooks: `X-Twilio-Signature` and the status-callback / inbound-SMS form fields.

The signature is computed exactly like the `twilio` package's `RequestValidator` (the
reference implementation): base64(HMAC-SHA1(auth token, URL + every POST parameter sorted by
name, each as name immediately followed by its value)), where the URL is the full URL Twilio
called, query string included. Like the reference, repeated values are sorted and
de-duplicated, and the URL is also tried with and without its default port, because Twilio
is not consistent about which one it signs. The view must rebuild the public URL (https
behind the proxy: SECURE_PROXY_SSL_HEADER) and pass the QueryDict, not `dict(request.POST)`.
Only the legacy auth-token SHA1 scheme is handled, not Twilio's SharedKey/SHA256 settings header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from . import InboundText, StatusUpdate, plus_digits

SIGNATURE_HEADER = "X-Twilio-Signature"

_STATES = {
    # Not yet with the carrier: no progress to record, kept so the caller can ignore it explicitly.
    "accepted": "queued", "scheduled": "queued", "queued": "queued", "sending": "queued",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",  # RCS/WhatsApp-over-Twilio only
    "undelivered": "failed", "failed": "failed", "canceled": "failed",
}

Params = Mapping[str, str | list[str]]


def compute_signature(url: str, params: Params, auth_token: str) -> str:
    signed = url
    for name in sorted(set(params)):
        for value in sorted(set(_values(params, name))):
            signed += name + value
    digest = hmac.new(auth_token.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(url: str, params: Params, signature: str | None, auth_token: str) -> bool:
    """True when `signature` is Twilio's for this URL and form; no token or no signature -> False."""
    if not auth_token or not signature:
        return False
    given = signature.strip().encode("utf-8")
    return any(
        hmac.compare_digest(compute_signature(candidate, params, auth_token).encode("ascii"), given)
        for candidate in _url_variants(url)
    )


def parse_status(params: Params, *, now: datetime | None = None) -> StatusUpdate:
    """A status callback. Twilio sends no event time: `at` is when we received it (`now`)."""
    sid, raw_status = _one(params, "MessageSid"), _one(params, "MessageStatus").lower()
    if not sid or not raw_status:
        raise ValueError("Twilio status callback without MessageSid or MessageStatus")
    # An unknown (new) status carries no progress we understand: "queued" changes nothing.
    return StatusUpdate(
        provider_message_id=sid,
        state=_STATES.get(raw_status, "queued"),
        at=now or datetime.now(timezone.utc),
        recipient=plus_digits(_one(params, "To")),
        error_code=_one(params, "ErrorCode"),
        error_title=_one(params, "ErrorMessage"),
    )


def parse_inbound(params: Params, *, now: datetime | None = None) -> InboundText:
    """An incoming SMS (From, Body, MessageSid; `To` is our number)."""
    sid, sender = _one(params, "MessageSid") or _one(params, "SmsSid"), plus_digits(_one(params, "From"))
    if not sid or not sender:
        raise ValueError("Twilio inbound message without MessageSid or From")
    return InboundText(sender=sender, text=_one(params, "Body"), provider_message_id=sid,
                       at=now or datetime.now(timezone.utc), phone_number_id=_one(params, "To"))


# --- helpers -------------------------------------------------------------------------------


def _values(params: Params, name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)  # Django QueryDict: every value, not just the last
    if callable(getlist):
        return [str(v) for v in getlist(name)]
    value = params[name]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _one(params: Params, name: str) -> str:
    # NUL stripped: PostgreSQL cannot store it, and refusing makes Twilio retry what it will not change.
    values = _values(params, name) if name in params else []
    return values[-1].replace("\x00", "") if values else ""


def _url_variants(url: str) -> list[str]:
    """The URL as given, plus without its port or with the default one (what RequestValidator tries)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return [url]
    if port:
        return [url, urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))]
    default_port = 443 if parts.scheme == "https" else 80
    return [url, urlunsplit(parts._replace(netloc=f"{parts.netloc}:{default_port}"))]
