"""Running totals of charges, and the spend cap's alerts, kept in the transaction that writes the
charges (billing.charges, on messaging's `messages_accepted`).

A wave of charges costs one statement whatever its size (two on SQLite): one upsert adds to the
day totals (DailySpend, the forecast's history), one adds to the month totals (SpendMonth) and
returns them with each account's cap. On PostgreSQL dispatch's waves write their charges in that
same statement too (`record_charges_written_by`). Only an account at or past a threshold of its cap costs more: a
read of its month's alerts and, the first time, the SpendAlert row and the e-mail task, enqueued
on commit.

The month row is the lock that orders one account's waves: the upsert holds it until the wave
commits (on PostgreSQL the day upsert rides in the same statement, a WITH that the executor runs
after the main upsert, so every wave takes the month row, then the day rows, in the same
order), so the next wave of that account sees this one's total and its alerts. Amounts are
added in the database (`amount = amount + excluded.amount`), never read, added and saved.

Whatever else writes or removes charges must call `record_charges` with the amounts (negative
for a removed charge), or the totals drift from the charges.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction

from billing.spend_models import DailySpend, SpendAlert, SpendCap, SpendMonth
from billing.tasks import send_spend_alert
from tracking.bulk import insert_rows

ALERT_FIELDS = ("account_id", "month", "percent", "monthly_cap", "spent", "currency", "on_cap")
CAP_COLUMNS = ("monthly_cap", "alert_at_percent", "on_cap")


class MonthState(NamedTuple):
    account_id: int
    month: dt.date
    spent: Decimal
    monthly_cap: Decimal | None
    alert_at_percent: int | None
    on_cap: str | None


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
    months = [MonthState(*row) for row in _upsert(SpendMonth, "month", per_month, with_cap=True,
                                                   also=(DailySpend, "day", per_day))]
    _alert([state for state in months if state.monthly_cap is not None], currencies)


def record_charges_written_by(charges_sql: str, params: list) -> None:
    """`record_charges` for charges that `charges_sql` (an INSERT ... RETURNING account_id,
    created_at, unit_price, currency) writes, in the same statement (PostgreSQL): the charges,
    the day totals and the month totals in one round trip, with no value passing through Python
    on the way. The day upsert is a WITH the month upsert does not read, which PostgreSQL runs
    after it: month rows, then day rows, as every wave takes them."""
    quote = connection.ops.quote_name
    month = quote(SpendMonth._meta.db_table)
    utc = "(_charges.created_at AT TIME ZONE 'UTC')"

    day, first_of_month = f"{utc}::date", f"date_trunc('month', {utc})::date"

    def totals(model, period: str, bucket: str) -> str:
        column = quote(model._meta.get_field(period).column)
        return (f"INSERT INTO {quote(model._meta.db_table)} (account_id, {column}, amount) "
                f"SELECT _charges.account_id, {bucket}, sum(_charges.unit_price) FROM _charges GROUP BY 1, 2 "
                f"ORDER BY 1, 2 {_add_on_conflict(model, period)}")

    sql = (
        f"WITH _charges AS ({charges_sql}), _day AS ({totals(DailySpend, 'day', day)}) "
        f"{totals(SpendMonth, 'month', first_of_month)} "
        f"RETURNING account_id, month, amount{_caps_returned(month)}"
        f", (SELECT max(_charges.currency) FROM _charges WHERE _charges.account_id = {month}.account_id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    _alert([MonthState(*row[:6]) for row in rows if row[3] is not None], {row[0]: row[6] for row in rows})


def check_account_after_change(*, account_id: int, month: dt.date, currency: str) -> None:
    """A cap was set: alert now if the month has reached it already (no wave may come to tell,
    when the cap stops WhatsApp). Takes the month row's lock like a wave does."""
    spent = (
        SpendMonth.objects.select_for_update().filter(account_id=account_id, month=month)
        .values_list("amount", flat=True).first()
    )
    cap = SpendCap.objects.filter(account_id=account_id).values_list(*CAP_COLUMNS).first()
    if spent and cap and cap[0] is not None:
        _alert([MonthState(account_id, month, spent, *cap)], {account_id: currency})


def _upsert(model, period: str, amounts: dict[tuple[int, dt.date], Decimal], *, with_cap: bool = False,
            also: tuple | None = None) -> list:
    """Add `amounts` to the (account, period) rows, creating missing ones, in one statement.
    Returns (account id, period, new total[, the account's cap columns, None without a cap]).
    Rows go in (account, period) order: two waves lock them in the same order. `also`, a
    (model, period, amounts) upsert whose rows are not needed back, rides in the same statement
    on PostgreSQL (a data-modifying WITH: one round trip for both), before this one."""
    meta, quote = model._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    period_field, amount_field = meta.get_field(period), meta.get_field("amount")
    sql, params = _upsert_sql(model, period, amounts)
    sql += f" RETURNING account_id, {quote(period_field.column)}, amount"
    if with_cap:  # the cap comes back with the total: no query of its own on every wave
        sql += _caps_returned(table)
    with connection.cursor() as cursor:
        if also is not None and connection.vendor == "postgresql":
            first_sql, first_params = _upsert_sql(*also)
            sql, params = f"WITH _first AS ({first_sql}) {sql}", [*first_params, *params]
        elif also is not None:  # SQLite has no data-modifying WITH
            cursor.execute(*_upsert_sql(*also))
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite hands dates and decimals back as text and floats: read them as the fields would.
    cap_field = SpendCap._meta.get_field("monthly_cap")
    return [
        (row[0], period_field.to_python(row[1]), amount_field.to_python(str(row[2])),
         *((cap_field.to_python(None if row[3] is None else str(row[3])), *row[4:]) if with_cap else ()))
        for row in rows
    ]


def _upsert_sql(model, period: str, amounts: dict[tuple[int, dt.date], Decimal]) -> tuple[str, list]:
    meta, quote = model._meta, connection.ops.quote_name
    table, column = quote(meta.db_table), quote(meta.get_field(period).column)
    period_field, amount_field = meta.get_field(period), meta.get_field("amount")
    keys = sorted(amounts)
    params = []
    for account_id, when in keys:
        params += [account_id, period_field.get_db_prep_save(when, connection),
                   amount_field.get_db_prep_save(amounts[account_id, when], connection)]
    sql = (f"INSERT INTO {table} (account_id, {column}, amount) VALUES {', '.join(['(%s, %s, %s)'] * len(keys))} "
           f"{_add_on_conflict(model, period)}")
    return sql, params


def _add_on_conflict(model, period: str) -> str:
    """An existing (account, period) row gets the new amount added, in the database."""
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(period).column)
    return f"ON CONFLICT (account_id, {column}) DO UPDATE SET amount = {table}.amount + excluded.amount"


def _caps_returned(table: str) -> str:
    """RETURNING's extra columns: the account's cap settings beside each month total."""
    quote = connection.ops.quote_name
    caps = quote(SpendCap._meta.db_table)
    return "".join(f", (SELECT c.{quote(name)} FROM {caps} c WHERE c.account_id = {table}.account_id)"
                   for name in CAP_COLUMNS)


def _alert(states: list[MonthState], currencies: dict[int, str]) -> None:
    """Alert the accounts whose month reached a threshold of their cap (the alert percent, or
    100) and that have not been alerted for it this month at this cap."""
    reached = {
        state: {percent for percent in (state.alert_at_percent, 100) if state.spent * 100 >= state.monthly_cap * percent}
        for state in states
    }
    reached = {state: due for state, due in reached.items() if due}
    if not reached:
        return
    done = set(
        SpendAlert.objects.filter(account_id__in=[state.account_id for state in reached],
                                  month__in=[state.month for state in reached])
        .values_list("account_id", "month", "monthly_cap", "percent")
    )
    rows = [
        (state.account_id, state.month, percent, state.monthly_cap, state.spent,
         currencies.get(state.account_id, "EUR"), state.on_cap)
        for state, due in sorted(reached.items()) for percent in sorted(due)
        if (state.account_id, state.month, state.monthly_cap, percent) not in done
    ]
    if not rows:
        return
    # The unique (account, month, percent, cap) is the backstop: an alert another transaction
    # wrote first is skipped here and not e-mailed twice.
    created = insert_rows(SpendAlert, ALERT_FIELDS, rows, ignore_conflicts=True,
                          returning=("id", "account_id", "month", "percent"))
    # One e-mail per account and month: the highest threshold reached (a wave that passes the
    # alert percent and the cap at once says "cap reached", not both).
    highest: dict[tuple[int, dt.date], tuple[int, int]] = {}
    for alert_id, account_id, month, percent in created:
        if (account_id, month) not in highest or percent > highest[account_id, month][1]:
            highest[account_id, month] = (alert_id, percent)
    for alert_id, _ in highest.values():
        transaction.on_commit(lambda alert_id=alert_id: send_spend_alert.delay(alert_id))
