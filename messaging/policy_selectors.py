"""Reads of brands' sending policies, as frozen values (messaging.policy_rules.document.Policy).

Dispatch plans messages for many brands at once: `policies_for(brand_ids)` answers all of them
with one query, and a brand without a row gets the shared DEFAULT_POLICY (no row is written for
a brand whose merchant never changed anything).
"""

from __future__ import annotations

from collections.abc import Iterable

from brands.models import Brand
from messaging.models import SendingPolicy
from messaging.policy_rules.document import DEFAULT_POLICY, Fallback, Policy, QuietHours


def policies_for(brand_ids: Iterable[int]) -> dict[int, Policy]:
    """brand id -> its policy, for every id given; one query whatever the number of brands."""
    wanted = set(brand_ids)
    found = {row.brand_id: policy_of(row) for row in SendingPolicy.objects.filter(brand_id__in=wanted)}
    return {brand_id: found.get(brand_id, DEFAULT_POLICY) for brand_id in wanted}


def policy_for(*, brand: Brand) -> Policy:
    return policies_for([brand.pk])[brand.pk]


def policy_of(row: SendingPolicy) -> Policy:
    return Policy(
        quiet_hours=QuietHours(
            enabled=row.quiet_hours_enabled,
            start=row.quiet_hours_start,
            end=row.quiet_hours_end,
            except_statuses=frozenset(row.quiet_hours_except),
        ),
        fallback=Fallback(
            enabled=row.fallback_enabled,
            order=tuple(row.fallback_order),
            after_minutes=row.fallback_after_minutes,
        ),
        max_messages_per_shipment=row.max_messages_per_shipment,
        consolidation_seconds=row.consolidation_seconds,
        ready_to_ship=row.ready_to_ship,
    )
