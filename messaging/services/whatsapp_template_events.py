"""Template webhooks applied at once to the WhatsAppTemplate rows (status, category, quality), and
what the change means for the messages waiting on that template.

A status update for a template we have no row of creates it (Meta knows it, so the sync would
list it); a category or quality update for one we have no row of is logged and skipped (the next
sync records it whole). An approval releases the messages held for that template at once
(`not_before` now: the next release tick sends them, after the gate looked again).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from messaging import whatsapp_gate
from messaging.models import Message, MessageState, WhatsAppTemplate
from messaging.webhooks.whatsapp_templates_parse import CATEGORY_FIELD, QUALITY_FIELD, STATUS_FIELD, TemplateEvent
from messaging.whatsapp_templates import variants_of

logger = logging.getLogger(__name__)


def whatsapp_template_event_apply(event: TemplateEvent) -> WhatsAppTemplate | None:
    """Move the template's row as the event says; the row, or None when nothing was recorded."""
    now = timezone.now()
    with transaction.atomic():
        row = _row(event)
        if event.field == STATUS_FIELD:
            if event.status == "DELETED":
                if row is not None:
                    row.delete()
                whatsapp_gate.forget(event.business_account_id)
                return None
            if not event.status:  # flagged: the quality update that comes with it says more
                return row
            if row is None:
                row = WhatsAppTemplate(business_account_id=event.business_account_id, name=event.name,
                                       language=event.language)
            row.status = event.status
            row.rejection_reason = event.reason if event.status == "REJECTED" else ""
        elif row is None:
            logger.info("WhatsApp template event for unknown %s/%s of %s: left to the next sync",
                        event.name, event.language, event.business_account_id)
            return None
        elif event.field == CATEGORY_FIELD:
            if not event.category:  # announced ahead (`correct_category`): Meta moves it later
                logger.warning("WhatsApp template %s/%s will be re-categorised as %s", event.name, event.language,
                               event.impending_category)
                return row
            row.category = event.category
            if event.category != "UTILITY":
                row.message_send_ttl_seconds = None  # re-categorisation clears the time to live
        elif event.field == QUALITY_FIELD:
            row.quality = event.quality
        row.meta_id = event.meta_id or row.meta_id
        row.synced_at = now
        row.save()
        whatsapp_gate.forget(event.business_account_id)
        if row.status == "APPROVED" and row.category in ("", "UTILITY"):
            transaction.on_commit(lambda: release_waiting(name=row.name, language=row.language, now=now))
    return row


def waiting_on(name: str, language: str) -> Q:
    """The messages held for this template (by name and Meta language code), and for its variants
    (the gate sends a held variant under its plain template once that one is usable)."""
    return Q(state=MessageState.SCHEDULED, error_code=whatsapp_gate.REASON,
             whatsapp_template__in=sorted({name, *variants_of(name)}), whatsapp_language=language)


def release_waiting(*, name: str, language: str, now) -> int:
    """Make the messages held for this template due now (the gate looks again when they are sent)."""
    # System work on our own outbox: the template is the platform's, not a tenant's.
    return Message.objects.filter(waiting_on(name, language), not_before__gt=now).update(not_before=now)


def _row(event: TemplateEvent) -> WhatsAppTemplate | None:
    rows = WhatsAppTemplate.objects.select_for_update().filter(business_account_id=event.business_account_id)
    row = rows.filter(name=event.name, language=event.language).first()
    if row is None and event.meta_id:
        row = rows.filter(meta_id=event.meta_id).first()
    return row
