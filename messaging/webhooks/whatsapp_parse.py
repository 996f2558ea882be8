"""WhatsApp Cloud API webhooks: verification handshake, signature, and envelope parsing.

`parse` is pure and tolerant: a structurally valid envelope never raises; an item missing
what we need (id, known status, timestamp...) is skipped and logged, because one odd item
must not make Meta redeliver (and us re-apply) the whole batch for 7 days. Only an envelope
that is not a WhatsApp one at all raises ValueError (the view answers 400).

Identity: Meta is rolling out business-scoped user ids (`US.13491208655302741918`) that come
beside or instead of the phone number: `recipient_user_id` (or `user_id`) on statuses,
`from_user_id` (or `user_id`) on messages, `user_id` next to `wa_id` in `contacts`. We take
whichever comes; a user id found where a number used to be is read as a user id, never as digits.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import InboundText, Pricing, StatusUpdate, is_user_id, plus_digits
from .whatsapp_templates_parse import TemplateEvent, template_event

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
STATES = frozenset({"sent", "delivered", "read", "failed"})


@dataclass(frozen=True)
class WhatsAppWebhook:
    statuses: list[StatusUpdate] = field(default_factory=list)
    inbound: list[InboundText] = field(default_factory=list)
    templates: list[TemplateEvent] = field(default_factory=list)


def verify_signature(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; no secret -> refuse all."""
    if not app_secret or not header:
        return False
    scheme, _, given = header.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return False
    expected = hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), given.strip().lower().encode("utf-8"))


def verify_challenge(params: Mapping[str, str], verify_token: str) -> str | None:
    """The `hub.challenge` to echo when the subscription request carries our token, else None."""
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    token = params.get("hub.verify_token") or ""
    challenge = params.get("hub.challenge")
    if not challenge or not hmac.compare_digest(token.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    return challenge


def parse(payload: object) -> WhatsAppWebhook:
    if not isinstance(payload, dict):
        raise ValueError("WhatsApp webhook body is not a JSON object")
    if payload.get("object") != "whatsapp_business_account" or not isinstance(payload.get("entry"), list):
        raise ValueError("not a WhatsApp Business Account webhook envelope")
    result = WhatsAppWebhook()
    for entry in payload["entry"]:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        business_account_id = str(entry.get("id") or "") if isinstance(entry, dict) else ""
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict):
                continue
            event = template_event(business_account_id, str(change.get("field") or ""), change.get("value"))
            if event is not None:
                result.templates.append(event)
            if change.get("field") != "messages":
                continue  # templates (above), account updates...
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            metadata = value.get("metadata")
            number_id = str(metadata.get("phone_number_id") or "") if isinstance(metadata, dict) else ""
            contacts = _contacts(value.get("contacts"))
            for item in _list(value.get("statuses")):
                status = _status(item)
                if status is not None:
                    result.statuses.append(status)
            for item in _list(value.get("messages")):
                text = _inbound(item, number_id, contacts)
                if text is not None:
                    result.inbound.append(text)
    return result


# --- items ---------------------------------------------------------------------------------


def _status(item: Any) -> StatusUpdate | None:
    if not isinstance(item, dict):
        return None
    message_id, state, at = item.get("id"), item.get("status"), parse_timestamp(item.get("timestamp"))
    if not isinstance(message_id, str) or not message_id or state not in STATES or at is None:
        logger.warning("WhatsApp status skipped: %r", item)
        return None
    errors = [e for e in _list(item.get("errors")) if isinstance(e, dict)]
    first_error = errors[0] if errors else {}
    pricing = _pricing(item.get("pricing"))
    phone, user_id = _identity(item.get("recipient_id"), item.get("recipient_user_id") or item.get("user_id"))
    return StatusUpdate(
        provider_message_id=message_id,
        state=state,
        at=at,
        recipient=phone,
        recipient_user_id=user_id,
        pricing=pricing,
        callback_data=str(item.get("biz_opaque_callback_data") or ""),
        error_code=str(first_error.get("code") if first_error.get("code") is not None else ""),
        error_title=str(first_error.get("title") or first_error.get("message") or ""),
        billable=pricing.billable if pricing is not None else None,
    )


def _pricing(value: Any) -> Pricing | None:
    if not isinstance(value, dict):
        return None
    billable = value.get("billable")

    def text(key: str) -> str:
        found = value.get(key)
        return found.strip()[:32] if isinstance(found, str) else ""

    return Pricing(billable=billable if isinstance(billable, bool) else None,
                   pricing_model=text("pricing_model").upper(), category=text("category").lower(),
                   type=text("type").lower())


def _identity(phone_value: Any, user_id_value: Any) -> tuple[str, str]:
    """(+E.164 phone or '', user id or ''): a user id where the number used to be stays a user id."""
    phone_text, user_id = str(phone_value or "").strip(), str(user_id_value or "").strip()
    if is_user_id(phone_text):
        phone_text, user_id = "", user_id or phone_text
    return plus_digits(phone_text), (user_id if is_user_id(user_id) else "")


def _contacts(value: Any) -> dict[str, str]:
    """wa_id (or '' for a contact without one) -> user id, from the envelope's `contacts`."""
    found: dict[str, str] = {}
    for contact in _list(value):
        if isinstance(contact, dict):
            phone, user_id = _identity(contact.get("wa_id"), contact.get("user_id"))
            if user_id:
                found[phone] = user_id
    return found


def _inbound(item: Any, phone_number_id: str, contacts: dict[str, str]) -> InboundText | None:
    if not isinstance(item, dict):
        return None
    text = _text(item)
    sender, user_id = _identity(item.get("from"), item.get("from_user_id") or item.get("user_id"))
    if not user_id:  # the contact of this sender (or the envelope's only contact) may carry it
        user_id = contacts.get(sender, "")
        if not user_id and len(contacts) == 1:
            [(phone, only)] = contacts.items()
            user_id = only if not phone or not sender else ""
    message_id, at = item.get("id"), parse_timestamp(item.get("timestamp"))
    if text is None or not (sender or user_id) or not isinstance(message_id, str) or not message_id or at is None:
        logger.info("WhatsApp inbound message skipped (type %r)", item.get("type"))
        return None
    return InboundText(sender=sender, text=text, provider_message_id=message_id, at=at,
                       phone_number_id=phone_number_id, sender_user_id=user_id, payload=_payload(item))


def _text(item: dict[str, Any]) -> str | None:
    """What the shopper typed or tapped; None for media, locations, reactions..."""
    kind = item.get("type")
    if kind == "text" and isinstance(item.get("text"), dict):
        body = item["text"].get("body")
        return body if isinstance(body, str) else None
    if kind == "button" and isinstance(item.get("button"), dict):
        button = item["button"]
        value = button.get("text") or button.get("payload")  # the label the shopper saw, else our payload
        return value if isinstance(value, str) else None
    if kind == "interactive" and isinstance(item.get("interactive"), dict):
        interactive = item["interactive"]
        reply = interactive.get("button_reply") or interactive.get("list_reply")
        title = reply.get("title") if isinstance(reply, dict) else None
        return title if isinstance(title, str) else None
    return None


def _payload(item: dict[str, Any]) -> str:
    """A tapped quick reply's `payload` or an interactive reply's `id` ('' for typed text)."""
    found: Any = None
    if item.get("type") == "button" and isinstance(item.get("button"), dict):
        found = item["button"].get("payload")
    elif item.get("type") == "interactive" and isinstance(item.get("interactive"), dict):
        interactive = item["interactive"]
        reply = interactive.get("button_reply") or interactive.get("list_reply")
        found = reply.get("id") if isinstance(reply, dict) else None
    return found.strip()[:256] if isinstance(found, str) else ""


def parse_timestamp(value: object) -> datetime | None:
    """Meta's unix seconds (a string) -> aware UTC datetime."""
    try:
        return datetime.fromtimestamp(int(str(value)), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
