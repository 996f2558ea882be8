"""WhatsApp Cloud API webhooks: verification handshake, signature, and envelope parsing.

`parse` is pure and tolerant: a structurally valid envelope never raises; an item missing
what we need (id, known status, timestamp...) is skipped and logged, because one odd item
must not make Meta redeliver (and us re-apply) the whole batch for 7 days. Only an envelope
that is not a WhatsApp one at all raises ValueError (the view answers 400).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import InboundText, StatusUpdate, plus_digits
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
            for item in _list(value.get("statuses")):
                status = _status(item)
                if status is not None:
                    result.statuses.append(status)
            for item in _list(value.get("messages")):
                text = _inbound(item, number_id)
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
    pricing = item.get("pricing")
    billable = pricing.get("billable") if isinstance(pricing, dict) else None
    return StatusUpdate(
        provider_message_id=message_id,
        state=state,
        at=at,
        recipient=plus_digits(str(item.get("recipient_id") or "")),
        callback_data=str(item.get("biz_opaque_callback_data") or ""),
        error_code=str(first_error.get("code") if first_error.get("code") is not None else ""),
        error_title=str(first_error.get("title") or first_error.get("message") or ""),
        billable=billable if isinstance(billable, bool) else None,
    )


def _inbound(item: Any, phone_number_id: str) -> InboundText | None:
    if not isinstance(item, dict):
        return None
    text = _text(item)
    sender = plus_digits(str(item.get("from") or ""))
    message_id, at = item.get("id"), parse_timestamp(item.get("timestamp"))
    if text is None or not sender or not isinstance(message_id, str) or not message_id or at is None:
        logger.info("WhatsApp inbound message skipped (type %r)", item.get("type"))
        return None
    return InboundText(sender=sender, text=text, provider_message_id=message_id, at=at,
                       phone_number_id=phone_number_id)


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


def parse_timestamp(value: object) -> datetime | None:
    """Meta's unix seconds (a string) -> aware UTC datetime."""
    try:
        return datetime.fromtimestamp(int(str(value)), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
