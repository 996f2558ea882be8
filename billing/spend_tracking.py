"""Running totals of charges, and the spend cap's alerts, kept in the transaction that writes the
charges (billing.charges, on messaging's `messages_accepted`).

A wave of charges costs three statements whatever its size: one upsert adds to the day totals
(DailySpend, the forecast's history), one adds to the month totals (SpendMonth) and returns
them, one reads the caps of the wave's accounts with whether each threshold has alerted yet.
Only a wave that finds a threshold reached and not yet alerted writes more: the SpendAlert rows,
and the e-mail task, enqueued on commit.

The month row is the lock that orders one account's waves: the upsert holds it until the wave
commits, so the next wave of that account sees this one's total and its alerts. Amounts are
added in the database (`amount = amount + excluded.amount`), never read, added and saved.

Whatever else writes or removes charges must call `record_charges` with the amounts (negative
for a removed charge), or the totals drift from the charges.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from billing.spend_models import DailySpend, SpendAlert, SpendCap, SpendMonth
from billing.tasks import send_spend_alert
from tracking.bulk import insert_rows

ALERT_FIELDS = ("account_id", "month", "percent", "monthly_cap", "spent", "currency", "on_cap")


def record_charges(charges: Iterable[tuple[int, dt.datetime, Decimal, str]]) -> None:
    """Add (account id, charged at, amount, currency) of charges just written to the running
    totals, and alert the accounts whose month reached a threshold of their cap."""
    per_day: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    per_month: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    currencies: dict[int, str] = {}
    for account_id, at, amount, currency in charges:
        day = at.astimezone(dt.UTC).date()
        per_day[account_id, day] += amount
        per_month[account_id, day.replace(day=1)] += amount
        currencies[account_id] = currency
    if not per_day:
        return
    _add(DailySpend, "day", per_day)
    totals = _add(SpendMonth, "month", per_month)
    for month in sorted({month for _, month in totals}):
        _alert({account: total for (account, each), total in totals.items() if each == month}, month, currencies)


def check_account_after_change(*, account_id: int, month: dt.date, currency: str) -> None:
    """A cap was set: alert now if the month has reached it already (no wave may come to tell,
    when the cap stops WhatsApp). Takes the month row's lock like a wave does."""
    total = (
        SpendMonth.objects.select_for_update().filter(account_id=account_id, month=month)
        .values_list("amount", flat=True).first()
    )
    if total:
        _alert({account_id: total}, month, {account_id: currency})


def _add(model, period: str, amounts: dict[tuple[int, dt.date], Decimal]) -> dict[tuple[int, dt.date], Decimal]:
    """Add `amounts` to the (account, period) rows, creating missing ones, in one upsert; returns
    the new totals. Rows in (account, period) order: two waves lock them in the same order."""
    meta, quote = model._meta, connection.ops.quote_name
    table, column = quote(meta.db_table), quote(meta.get_field(period).column)
    period_field, amount_field = meta.get_field(period), meta.get_field("amount")
    keys = sorted(amounts)
    params = []
    for account_id, when in keys:
        params += [account_id, period_field.get_db_prep_save(when, connection),
                   amount_field.get_db_prep_save(amounts[account_id, when], connection)]
    values = ", ".join(["(%s, %s, %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (account_id, {column}, amount) VALUES {values} "
            f"ON CONFLICT (account_id, {column}) DO UPDATE SET amount = {table}.amount + excluded.amount "
            f"RETURNING account_id, {column}, amount",
            params,
        )
        rows = cursor.fetchall()
    # SQLite hands dates and decimals back as text and floats: read them as the fields would.
    return {
        (account_id, period_field.to_python(when)): amount_field.to_python(str(amount))
        for account_id, when, amount in rows
    }


def _alert(totals: dict[int, Decimal], month: dt.date, currencies: dict[int, str]) -> None:
    """Alert the accounts of `totals` (their month's new totals) that reached a threshold of
    their cap and have not been alerted for it: one query to find out, one insert if so."""
    def alerted(percent) -> Exists:
        return Exists(SpendAlert.objects.filter(
            account=OuterRef("account"), month=month, percent=percent, monthly_cap=OuterRef("monthly_cap")))

    caps = (
        SpendCap.objects.filter(account_id__in=list(totals), monthly_cap__isnull=False)
        .annotate(warned=alerted(OuterRef("alert_at_percent")), capped=alerted(100))
        .values("account_id", "monthly_cap", "alert_at_percent", "on_cap", "warned", "capped")
    )
    rows = []
    for cap in caps:
        spent = totals[cap["account_id"]]
        due = [percent for percent, done in ((cap["alert_at_percent"], cap["warned"]), (100, cap["capped"]))
               if not done and spent * 100 >= cap["monthly_cap"] * percent]
        rows += [(cap["account_id"], month, percent, cap["monthly_cap"], spent,
                  currencies.get(cap["account_id"], "EUR"), cap["on_cap"]) for percent in sorted(set(due))]
    if not rows:
        return
    # The unique (account, month, percent, cap) is the backstop: an alert another transaction
    # wrote first is skipped here and not e-mailed twice.
    created = insert_rows(SpendAlert, ALERT_FIELDS, rows, ignore_conflicts=True,
                          returning=("id", "account_id", "percent"))
    # One e-mail per account: the highest threshold reached (a wave that passes 80% and the cap
    # at once says "cap reached", not both).
    highest: dict[int, tuple[int, int]] = {}
    for alert_id, account_id, percent in created:
        if account_id not in highest or percent > highest[account_id][1]:
            highest[account_id] = (alert_id, percent)
    for alert_id, _ in highest.values():
        transaction.on_commit(lambda alert_id=alert_id: send_spend_alert.delay(alert_id))
