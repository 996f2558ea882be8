"""Writes of a brand's sending policy: the document of API.md, replaced whole.

The document is checked completely first (every bad field named in one RuleViolation), then
written in one transaction that holds the account row, like every settings write of an account
(messaging.services.notifications): concurrent writes apply one after the other, and the audit
record commits with the change or not at all.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from brands.audit import Actor, audit_record
from brands.models import Account, Brand
from messaging.models import SendingPolicy
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
            audit_record(account=account, action="sending_policy.update", actor=actor, object_type="brand",
                         object_id=brand.pk, before=before.as_document(), after=policy.as_document())
    return policy


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
