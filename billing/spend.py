"""An account's monthly WhatsApp spend cap: its settings (read, validated, replaced, audited),
where the month stands against it, and the answer WhatsApp dispatch asks for through
messaging.policy (`whatsapp_spend_decision`).

The month's total is SpendMonth's running amount (billing.spend_tracking keeps it with every
wave of charges), so every answer here is one small query, never a sum over the month's charges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import forecast, spend_tracking
from billing.pricing import whatsapp_unit_price
from billing.spend_models import DailySpend, OnCap, SpendCap, SpendMonth
from brands.audit import Actor, audit_record
from brands.models import Account
from messaging.policy import SpendDecision, SpendOutlook

DEFAULT_ALERT_AT_PERCENT = 80
MAX_CAP = Decimal("9999999999.99")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CapSettings:
    monthly_cap: Decimal | None = None
    alert_at_percent: int = DEFAULT_ALERT_AT_PERCENT
    on_cap: str = OnCap.FALLBACK

    def as_dict(self) -> dict:
        return {"monthly_cap": None if self.monthly_cap is None else f"{self.monthly_cap:.2f}",
                "alert_at_percent": self.alert_at_percent, "on_cap": self.on_cap}

    def model_values(self) -> dict:
        return {"monthly_cap": self.monthly_cap, "alert_at_percent": self.alert_at_percent, "on_cap": self.on_cap}


@dataclass(frozen=True)
class CapState:
    """A cap and the month's spend against it (only accounts with a cap have one)."""

    monthly_cap: Decimal
    alert_at_percent: int
    on_cap: str
    spent: Decimal

    @property
    def reached(self) -> bool:
        return self.spent >= self.monthly_cap

    @property
    def alerting(self) -> bool:
        return self.spent * 100 >= self.monthly_cap * self.alert_at_percent


def month_of(at: dt.datetime) -> dt.date:
    """The first day of `at`'s month in UTC, the months of charges and invoices."""
    return at.astimezone(dt.UTC).date().replace(day=1)


def account_currency(account: Account, at: dt.datetime) -> str:
    """The currency the account is charged in (its WhatsApp price's); EUR when none applies."""
    price = whatsapp_unit_price(account, at)
    return price[1] if price else "EUR"


def spend_cap_get(*, account: Account) -> CapSettings:
    row = SpendCap.objects.for_account(account).values("monthly_cap", "alert_at_percent", "on_cap").first()
    return CapSettings(**row) if row else CapSettings()


def spend_cap_set(*, account: Account, monthly_cap=None, alert_at_percent=DEFAULT_ALERT_AT_PERCENT,
                  on_cap=OnCap.FALLBACK, actor: Actor | None = None, at: dt.datetime | None = None) -> CapSettings:
    """Replace the account's cap settings whole. Every bad field is named in one ValidationError
    and nothing is saved. A cap the month has already reached alerts at once (on commit)."""
    settings = _validated(monthly_cap, alert_at_percent, on_cap)
    at = at or timezone.now()
    with transaction.atomic():
        # Locked, so the audit's "before" is the row this change replaces.
        current = SpendCap.objects.for_account(account).select_for_update().first()
        before = CapSettings(monthly_cap=current.monthly_cap, alert_at_percent=current.alert_at_percent,
                             on_cap=current.on_cap) if current else CapSettings()
        SpendCap.objects.update_or_create(account=account, defaults=settings.model_values())
        if before != settings:
            audit_record(account=account, action="billing.spend_cap", actor=actor, object_type="account",
                         object_id=account.pk, before=before.as_dict(), after=settings.as_dict())
        if settings.monthly_cap is not None:
            spend_tracking.check_account_after_change(account_id=account.pk, month=month_of(at),
                                                      currency=account_currency(account, at))
    return settings


def _validated(monthly_cap, alert_at_percent, on_cap) -> CapSettings:
    errors: dict[str, list[str]] = {}
    cap = None
    if monthly_cap is not None:
        cap = _amount(monthly_cap)
        if cap is None:
            errors["monthly_cap"] = [_('Give the cap as an amount with at most 2 decimals, e.g. "50.00", or null.')]
        elif cap < 0:
            errors["monthly_cap"] = [_("The cap cannot be negative.")]
        elif cap > MAX_CAP:
            errors["monthly_cap"] = [_("The cap can be at most %(max)s.") % {"max": MAX_CAP}]
    if isinstance(alert_at_percent, bool) or not isinstance(alert_at_percent, int) or not 1 <= alert_at_percent <= 100:
        errors["alert_at_percent"] = [_("Give a whole number of percent from 1 to 100.")]
    if on_cap not in OnCap.values:
        errors["on_cap"] = [f"Choose {' or '.join(OnCap.values)}."]
    if errors:
        raise ValidationError(errors)
    return CapSettings(monthly_cap=cap, alert_at_percent=alert_at_percent, on_cap=on_cap)


def _amount(value) -> Decimal | None:
    """A decimal with at most two places from a string or a JSON number; None when it is not one.
    One out of range is returned as it is, for the range checks to name."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    if abs(amount) > MAX_CAP:
        return amount
    return amount.quantize(CENT) if amount == amount.quantize(CENT, rounding=ROUND_DOWN) else None


def cap_state(*, account: Account, at: dt.datetime) -> CapState | None:
    """The cap and `at`'s month's spend, in one query; None without a cap."""
    spent = SpendMonth.objects.filter(account=OuterRef("account"), month=month_of(at)).values("amount")[:1]
    row = (
        SpendCap.objects.for_account(account).filter(monthly_cap__isnull=False)
        .annotate(spent=Subquery(spent))
        .values("monthly_cap", "alert_at_percent", "on_cap", "spent")
        .first()
    )
    if row is None:
        return None
    return CapState(monthly_cap=row["monthly_cap"], alert_at_percent=row["alert_at_percent"], on_cap=row["on_cap"],
                    spent=row["spent"] or Decimal(0))


def whatsapp_spend_decision(account: Account, at: dt.datetime) -> SpendDecision:
    """"send" below the cap (or without one); at it, the account's choice: "fallback" or "pause".

    Waves already on their way when the cap is reached are still charged: the cap can be passed
    by at most the messages in flight, never by a whole month."""
    state = cap_state(account=account, at=at)
    if state is None or not state.reached:
        return "send"
    return state.on_cap


def daily_amounts(*, account: Account, first: dt.date, last: dt.date) -> dict[dt.date, Decimal]:
    """The account's charges per day (UTC) from `first` to `last`, days with none left out."""
    return dict(DailySpend.objects.for_account(account).filter(day__gte=first, day__lte=last)
                .values_list("day", "amount"))


def spend_outlook(*, account: Account, month: dt.date, at: dt.datetime) -> SpendOutlook:
    """The month's spend so far, its forecast and the cap: three small queries (cap, the daily
    totals of the forecast's window and the month, the currency)."""
    today = at.astimezone(dt.UTC).date()
    days = forecast.month_days(month)
    # An ended month needs its own days only; any other, the forecast's history too.
    since = days[0] if days[-1] < today else min(forecast.history_window(today)[0], days[0])
    amounts = daily_amounts(account=account, first=since, last=max(days[-1], today))
    settings = spend_cap_get(account=account)
    return SpendOutlook(
        currency=account_currency(account, at),
        spent=sum((amounts.get(day, Decimal(0)) for day in days if day <= today), Decimal(0)).quantize(CENT),
        forecast=forecast.month_forecast(amounts, month=month, today=today),
        monthly_cap=settings.monthly_cap, alert_at_percent=settings.alert_at_percent, on_cap=settings.on_cap,
    )


@dataclass(frozen=True)
class SpendBanner:
    """What the panel's banner says once the month has reached the alert threshold of the cap."""

    reached: bool
    percent: int
    spent: Decimal
    monthly_cap: Decimal
    on_cap: str
    currency: str
    resets_on: dt.date  # the first day of next month


def spend_banner(*, account: Account, at: dt.datetime) -> SpendBanner | None:
    """The banner of `at`'s month, or None below the alert threshold (or without a cap): one
    query on every panel page, a second (the currency) only when there is a banner to show."""
    state = cap_state(account=account, at=at)
    if state is None or not state.alerting:
        return None
    month = month_of(at)
    return SpendBanner(
        reached=state.reached, percent=int(state.spent * 100 / state.monthly_cap) if state.monthly_cap else 100,
        spent=state.spent.quantize(CENT), monthly_cap=state.monthly_cap, on_cap=state.on_cap,
        currency=account_currency(account, at), resets_on=forecast.month_days(month)[-1] + dt.timedelta(days=1),
    )
