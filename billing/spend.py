"""An account's monthly WhatsApp spend cap: its settings (read, validated, replaced, audited),
where the month stands against it, and the answer WhatsApp dispatch asks for through
messaging.policy (`whatsapp_spend_decision`).

The month's total is SpendMonth's running amount (billing.spend_tracking keeps it with every
wave of charges), so every answer here is one small query, never a sum over the month's charges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import forecast, spend_tracking
from billing.models import Charge
from billing.pricing import whatsapp_unit_price
from billing.spend_models import DailySpend, OnCap, SpendCap, SpendMonth
from brands.audit import Actor, audit_record
from brands.models import Account
from core.errors import RuleViolation, Violations
from messaging.dispatch.policy_apply import release_spend_cap_holds
from messaging.policy import Charged, SpendDecision, SpendOutlook

DEFAULT_ALERT_AT_PERCENT = 80
MAX_CAP = Decimal("9999999999.99")
CENT = Decimal("0.01")
# The spend-cap document of API.md: what a PUT may set, and what GET shows besides (read-only).
CAP_FIELDS = ("monthly_cap", "alert_at_percent", "on_cap")
READ_ONLY_FIELDS = ("currency",)
_MAX_UNKNOWN = 10  # unknown keys named in one answer
_QUOTE = 24  # how much of an unknown key we quote back


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


def charged(*, account: Account, start: dt.datetime, end: dt.datetime) -> Charged:
    """The account's charges created in [start, end) (when the provider accepted each message),
    summed per channel: the rows the month's invoice bills, a deleted brand's included, an expired
    message's withdrawn charge not. In the account's currency as of the period (its end, or now)."""
    amounts = dict(
        Charge.objects.for_account(account).filter(created_at__gte=start, created_at__lt=end)
        .values("channel").annotate(amount=Sum("unit_price")).order_by().values_list("channel", "amount")
    )
    return Charged(by_channel=amounts, currency=account_currency(account, min(timezone.now(), end)))


def spend_cap_get(*, account: Account) -> CapSettings:
    row = SpendCap.objects.for_account(account).values("monthly_cap", "alert_at_percent", "on_cap").first()
    return CapSettings(**row) if row else CapSettings()


def spend_cap_from_document(raw, *, currency: str) -> CapSettings:
    """The settings an API document describes (`PUT /api/v1/account/spend-cap/`); fields left
    out take their defaults. One RuleViolation names every problem, each with its code:
    `unknown_field` for a key the document does not have (a typo must never pass for "no cap"),
    `read_only` for a `currency` other than the account's (`currency`, GET's read-only field, may
    be sent back as GET shows it: a document read, changed and put back is accepted), `invalid`,
    `out_of_range`, `invalid_choice` for bad values."""
    if not isinstance(raw, Mapping):
        raise RuleViolation("non_field_errors", _("Send a JSON object."), code="invalid")
    found = Violations()
    known = CAP_FIELDS + READ_ONLY_FIELDS
    for key in [key for key in raw if key not in known][:_MAX_UNKNOWN]:
        with found.check():
            raise RuleViolation(_clip(key), _("Unknown field; use %(fields)s.") % {"fields": ", ".join(CAP_FIELDS)},
                                code="unknown_field")
    if "currency" in raw and raw["currency"] != currency:
        with found.check():
            raise RuleViolation("currency", _("The currency is the account's (%(currency)s) and cannot be changed "
                                              "here; leave it out.") % {"currency": currency}, code="read_only")
    settings, problems = _checked(**{name: raw[name] for name in CAP_FIELDS if name in raw})
    found.found.extend(problems)
    found.raise_any()
    return settings


def spend_cap_set(*, account: Account, monthly_cap=None, alert_at_percent=DEFAULT_ALERT_AT_PERCENT,
                  on_cap=OnCap.FALLBACK, actor: Actor | None = None, at: dt.datetime | None = None) -> CapSettings:
    """Replace the account's cap settings whole. Every bad field is named in one ValidationError
    (the panel's form shows each beside its field; the API checks its document first, with
    `spend_cap_from_document`) and nothing is saved. A cap the month has already reached alerts
    at once (on commit).

    WhatsApp messages held by the cap (`on_cap` "pause": `scheduled` with `spend_cap`) become due
    now, for `release_scheduled_messages` to send, when the cap is removed, or raised above the
    month's spend: as many as the new room pays for at the account's price (the oldest first;
    the others wait for the next raise or the month's end), since sending does not look at the
    cap again. Switching to "fallback" at the cap releases nothing: released, they would go by
    WhatsApp past the cap (see `release_spend_cap_holds`)."""
    settings, problems = _checked(monthly_cap, alert_at_percent, on_cap)
    if problems:
        raise ValidationError({problem.field: [ValidationError(problem.message, code=problem.code)]
                               for problem in problems})
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
        _release_held(account, settings.monthly_cap, at=at)
    return settings


def _release_held(account: Account, cap: Decimal | None, *, at: dt.datetime) -> int:
    """Release the messages the cap held that the cap now set has room for (all of them without
    a cap; none while the month is at the cap, whatever `on_cap` says). The month row is locked (`check_account_after_change` took it already when
    there is a cap), so no wave of charges moves the spend while we count the room."""
    if cap is None:
        return release_spend_cap_holds(account, now=at)
    spent = (SpendMonth.objects.select_for_update().filter(account_id=account.pk, month=month_of(at))
             .values_list("amount", flat=True).first()) or Decimal(0)
    if spent >= cap:
        return 0
    price = whatsapp_unit_price(account, at)
    if price is None or price[0] <= 0:
        return release_spend_cap_holds(account, now=at)
    # Sending goes on until the spend reaches the cap: the last message may pass it, as a wave does.
    room = int(((cap - spent) / price[0]).to_integral_value(rounding=ROUND_CEILING))
    return release_spend_cap_holds(account, now=at, limit=room)


def _checked(monthly_cap=None, alert_at_percent=DEFAULT_ALERT_AT_PERCENT,
             on_cap=OnCap.FALLBACK) -> tuple[CapSettings | None, list[RuleViolation]]:
    """The settings, or None with what is wrong with them (every field, each with its code)."""
    problems: list[RuleViolation] = []
    cap = None
    if monthly_cap is not None:
        cap = _amount(monthly_cap)
        if cap is None:
            problems.append(RuleViolation(
                "monthly_cap", _('Give the cap as an amount with at most 2 decimals, e.g. "50.00", or null.'),
                code="invalid"))
        elif cap < 0:
            problems.append(RuleViolation("monthly_cap", _("The cap cannot be negative."), code="out_of_range"))
        elif cap > MAX_CAP:
            problems.append(RuleViolation("monthly_cap", _("The cap can be at most %(max)s.") % {"max": MAX_CAP},
                                          code="out_of_range"))
    if isinstance(alert_at_percent, bool) or not isinstance(alert_at_percent, int):
        problems.append(RuleViolation("alert_at_percent", _("Give a whole number of percent from 1 to 100."),
                                      code="invalid"))
    elif not 1 <= alert_at_percent <= 100:
        problems.append(RuleViolation("alert_at_percent", _("Give a whole number of percent from 1 to 100."),
                                      code="out_of_range"))
    if on_cap not in OnCap.values:
        problems.append(RuleViolation("on_cap", f"Choose {' or '.join(OnCap.values)}.", code="invalid_choice"))
    if problems:
        return None, problems
    return CapSettings(monthly_cap=cap, alert_at_percent=alert_at_percent, on_cap=on_cap), []


def _clip(value) -> str:
    text = str(value)
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…"


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
