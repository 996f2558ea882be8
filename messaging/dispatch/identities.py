"""Who a WhatsApp webhook is about: a phone number, a business-scoped user id, or both.

Shoppers are keyed by their number (messages, opt-outs, shipments). Every webhook that shows a
user id together with a number teaches the pair (`identities_learn`, one statement for a whole
webhook); one that shows only the user id is read as the number learnt (`phone_for_user_id`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from messaging.models import WhatsAppUser


def identities_learn(pairs: Iterable[tuple[str, str]], *, at: datetime | None = None) -> int:
    """Record (phone, user id) pairs; a user id seen with a new number moves to it (the shopper
    changed numbers). One statement whatever the number of pairs; returns how many were given."""
    latest = {user_id: phone for phone, user_id in pairs if phone and user_id}
    if not latest:
        return 0
    at = at or timezone.now()
    WhatsAppUser.objects.bulk_create(
        [WhatsAppUser(user_id=user_id[:64], phone=phone[:32], seen_at=at) for user_id, phone in latest.items()],
        update_conflicts=True, unique_fields=["user_id"], update_fields=["phone", "seen_at"],
    )
    return len(latest)


def phone_for_user_id(user_id: str) -> str:
    """The number learnt for this user id, or ''."""
    if not user_id:
        return ""
    return WhatsAppUser.objects.filter(user_id=user_id).values_list("phone", flat=True).first() or ""
