"""Writes of a brand's sending policy: the document of API.md, replaced whole.

The document is checked completely first (every bad field named in one RuleViolation), then
written in one transaction that holds the account row, like every settings write of an account
(messaging.services.notifications): concurrent writes apply one after the other, and the audit
record commits with the change or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from brands.audit import Actor, audit_record
from brands.models import Account, Brand
from messaging.models import Message, MessageState, SendingPolicy
from messaging.policy_rules.document import Policy, policy_from_document
from messaging.policy_selectors import policy_for


def sending_policy_replace(*, brand: Brand, document: Any, actor: Actor | None = None) -> Policy:
    """Replace the brand's policy with `document`; keys left out take their defaults.

    Returns the policy now stored. A refused document (RuleViolation) changes nothing.
    """
    policy = policy_from_document(document)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=brand.account_id)
        before = policy_for(brand=brand)
        if policy != before:
            SendingPolicy.objects.update_or_create(brand=brand, defaults=_columns(policy))
            if before.quiet_hours.enabled and not policy.quiet_hours.enabled:
                _release_quiet_hours_holds(account, brand, policy)
            audit_record(account=account, action="sending_policy.update", actor=actor, object_type="brand",
                         object_id=brand.pk, before=before.as_document(), after=policy.as_document())
    return policy


def _release_quiet_hours_holds(account: Account, brand: Brand, policy: Policy) -> int:
    """Quiet hours switched off: what they held goes now (or when its consolidation ends, which
    still applies), not when the old window would have ended. Only the brand's status updates held
    by the policy itself (no reason: quiet hours, consolidation); a hold for the spend cap, an
    unapproved template or the messaging limit has its own release. The beat task that sends due
    messages picks them up within a minute."""
    now = timezone.now()
    release_at = Greatest(Value(now), F("created_at") + dt.timedelta(seconds=policy.consolidation_seconds))
    return (
        Message.objects.for_account(account)
        .filter(brand=brand, state=MessageState.SCHEDULED, error_code="", not_before__gt=now)
        .notifications()
        .update(not_before=Least(F("not_before"), release_at))
    )


def _columns(policy: Policy) -> dict[str, Any]:
    quiet, fallback = policy.quiet_hours, policy.fallback
    document = policy.as_document()  # lists in a stable order
    return {
        "quiet_hours_enabled": quiet.enabled,
        "quiet_hours_start": quiet.start,
        "quiet_hours_end": quiet.end,
        "quiet_hours_except": document["quiet_hours"]["except"],
        "fallback_enabled": fallback.enabled,
        "fallback_order": list(fallback.order),
        "fallback_after_minutes": fallback.after_minutes,
        "max_messages_per_shipment": policy.max_messages_per_shipment,
        "consolidation_seconds": policy.consolidation_seconds,
        "ready_to_ship": policy.ready_to_ship,
    }
