"""Deleting a brand: what each app stops, and what the merchant is told before confirming.

A deleted brand is gone for its account but its row stays (brands.services.brand_delete): charges
and invoice lines name it (invariant 5: an issued invoice never changes, and this month's invoice
still bills this month's charges with the brand's name), and its shipments keep their shopper
data only until the retention job purges them. What it would still *do* is stopped by the apps
that own it, which brands may not import. They register their parts here (in AppConfig.ready, or
config/apps.py for billing):

- `register_deletion_step(fn)`: `fn(brand, *, now, actor)` stops that app's part, inside
  brand_delete's transaction (the brand row is locked), and returns counts for the audit event,
  e.g. `{"messages_suppressed": 3}`.
- `register_impact(fn)`: `fn(brand, *, now)` returns figures for the confirmation, e.g.
  `{"shipments_in_transit": 2}`; `deletion_impact(brand)` gathers them into one `Impact`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from brands.models import Brand

DeletionStep = Callable[..., dict[str, int]]
ImpactSource = Callable[..., dict[str, Any]]

_steps: list[DeletionStep] = []
_impact_sources: list[ImpactSource] = []


@dataclass
class Impact:
    """What deleting a brand changes, in the numbers the confirmation names."""

    shipments_in_transit: int = 0  # still tracked: they stop receiving updates
    messages_pending: int = 0  # queued or held messages (and due questions) that will not be sent
    charges_this_month: Decimal = Decimal("0.00")  # stays on the invoice
    currency: str = "EUR"
    own_whatsapp_number: str = ""  # the brand's own number, disconnected


def register_deletion_step(fn: DeletionStep) -> DeletionStep:
    if fn not in _steps:
        _steps.append(fn)
    return fn


def register_impact(fn: ImpactSource) -> ImpactSource:
    if fn not in _impact_sources:
        _impact_sources.append(fn)
    return fn


def run_deletion_steps(brand: Brand, *, now: datetime, actor) -> dict[str, int]:
    counts: dict[str, int] = {}
    for step in _steps:
        counts |= step(brand, now=now, actor=actor) or {}
    return counts


def deletion_impact(brand: Brand, *, now: datetime | None = None) -> Impact:
    now = now or timezone.now()
    known = {field.name for field in fields(Impact)}
    values: dict[str, Any] = {}
    for source in _impact_sources:
        values |= {name: value for name, value in (source(brand, now=now) or {}).items() if name in known}
    return Impact(**values)
