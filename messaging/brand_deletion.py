"""messaging's part of deleting a brand (brands/brand_deletion.py): nothing more is sent for it.

- Its messages waiting to go (queued and not held by a sender, or scheduled) become `suppressed`
  with `brand_deleted`; a message a sender holds right now is in the provider's hands already: it
  ends as the provider answers (sent and, for WhatsApp, charged: it was sent).
- Its questions due (a rating to ask, a cash-on-delivery reminder) are not asked.
- Its own WhatsApp number is disconnected (the number may then serve another brand).
- Anything planned later finds nothing: planning, fallback and the bot read shipments through the
  account's scoping, which leaves a deleted brand's out, and a sender suppresses a message of a
  deleted brand it still claims (dispatch/sending.py) for a planner that read the brand just before.
No `message.state_changed` webhook goes out for these: the account's integrations no longer see
the brand (webhooks_out leaves deleted brands out of its listeners).
"""

from __future__ import annotations

from django.db.models import Q

from messaging.models import Message, MessageState, ShopperAsk, WhatsAppSender

BRAND_DELETED = "brand_deleted"
BRAND_DELETED_TEXT = "The brand was deleted before this message was sent."


def _of(model, brand):
    # Through the account's scoping, the brand's deletion included (it may be marked already).
    return model.objects.for_account(brand.account, include_deleted_brands=True).filter(brand_id=brand.pk)


def _pending(brand, now):
    free = Q(state=MessageState.QUEUED) & (Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    return _of(Message, brand).filter(free | Q(state=MessageState.SCHEDULED))


def _asks_due(brand):
    return _of(ShopperAsk, brand).filter(due_at__isnull=False)


def pending_sends(brand, *, now) -> dict:
    sender = _of(WhatsAppSender, brand).values_list("display_phone_number", flat=True).first()
    return {"messages_pending": _pending(brand, now).count() + _asks_due(brand).count(),
            "own_whatsapp_number": sender or ""}


def stop_sending(brand, *, now, actor) -> dict[str, int]:
    from messaging.senders import whatsapp_sender_disconnect

    suppressed = _pending(brand, now).update(state=MessageState.SUPPRESSED, error_code=BRAND_DELETED,
                                             error_message=BRAND_DELETED_TEXT, claimed_until=None)
    asks = _asks_due(brand).update(due_at=None)
    disconnected = whatsapp_sender_disconnect(brand=brand, actor=actor)
    return {"messages_suppressed": suppressed, "asks_cancelled": asks, "whatsapp_sender_disconnected": int(disconnected)}
