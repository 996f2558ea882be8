"""Validators of a plan change, registered by the apps that know what a plan limits.

brands may not import the apps to its right, yet a downgrade must be refused when, say, the
WhatsApp settings of messaging go beyond the new plan. Those apps register a validator here (in
their AppConfig.ready); `brands.services.account_change_plan` runs them all before it saves.
A validator is `fn(account, plan_code) -> None` and raises core.errors.RuleViolation to refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brands.models import Account

PlanChangeValidator = Callable[["Account", str], None]

_validators: list[PlanChangeValidator] = []


def register_plan_change_validator(fn: PlanChangeValidator) -> PlanChangeValidator:
    """Register once (registering the same function again is a no-op); usable as a decorator."""
    if fn not in _validators:
        _validators.append(fn)
    return fn


def run_plan_change_validators(account: Account, plan: str) -> None:
    for validator in list(_validators):
        validator(account, plan)
