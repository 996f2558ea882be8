"""The template fields of the WhatsApp webhook (same signed endpoint, `changes[].field`):
`message_template_status_update`, `template_category_update`, `message_template_quality_update`.
Pure and tolerant like whatsapp_parse: an item without a template name and language, or
without what its field is about, is skipped."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

STATUS_FIELD = "message_template_status_update"
CATEGORY_FIELD = "template_category_update"
QUALITY_FIELD = "message_template_quality_update"
FIELDS = frozenset({STATUS_FIELD, CATEGORY_FIELD, QUALITY_FIELD})
# Meta's events that mean a status we keep under another word.
STATUS_ALIASES = {"REINSTATED": "APPROVED", "FLAGGED": ""}  # flagged: quality news, status unchanged


@dataclass(frozen=True)
class TemplateEvent:
    business_account_id: str  # the entry's id
    field: str
    name: str
    language: str
    meta_id: str = ""
    status: str = ""  # status updates: APPROVED, REJECTED, PAUSED, DISABLED, PENDING_DELETION...
    reason: str = ""
    category: str = ""  # category updates: the new category ("" for an impending change)
    impending_category: str = ""  # category updates announced ahead: `correct_category`
    quality: str = ""  # quality updates: the new score


def template_event(business_account_id: str, field: str, value: Any) -> TemplateEvent | None:
    if field not in FIELDS or not isinstance(value, Mapping):
        return None
    name, language = value.get("message_template_name"), value.get("message_template_language")
    if not isinstance(name, str) or not name or not isinstance(language, str) or not language:
        logger.warning("WhatsApp template event skipped: %r", value)
        return None
    base = {"business_account_id": business_account_id, "field": field, "name": name, "language": language,
            "meta_id": str(value.get("message_template_id") or "")}
    if field == STATUS_FIELD:
        event = str(value.get("event") or "").upper()
        status = STATUS_ALIASES.get(event, event)
        reason = str(value.get("reason") or "")
        return TemplateEvent(**base, status=status, reason="" if reason.upper() == "NONE" else reason[:255])
    if field == CATEGORY_FIELD:
        return TemplateEvent(**base, category=str(value.get("new_category") or "").upper(),
                             impending_category=str(value.get("correct_category") or "").upper())
    quality = str(value.get("new_quality_score") or "").upper()
    return TemplateEvent(**base, quality=quality) if quality else None
