"""What retention costs today at scale, and what dropping a monthly partition would cost instead.

Fills its own PostgreSQL database (a throwaway one next to DATABASE_URL's, bench/common.py) with 13 months of data:
--messages messages (default 10,000,000), three per shipment, four tracking events per shipment,
written in time order as production writes them (INSERT ... SELECT generate_series, not the ORM;
secondary indexes built after the load). Then, for the oldest month (1/13 of the data):

1. `purge`: the retention job as production runs it (messaging.retention.purge_account: scrubs the
   shopper's details of finished shipments and their messages, batches of 1,000 shipments). It
   runs for --purge-accounts accounts (a sample: at 10 M messages each batch reads the whole
   message table, see `purge.plan`) and is extrapolated to all accounts; `purge_indexed` is the
   same sample of other accounts once an index on messaging_message (shipment_id) exists.
2. `delete`: deleting that month's messages and events (what a row-by-row retention would do),
   then the VACUUM that makes the space reusable (the files do not shrink).
3. `drop`: DROP TABLE (and TRUNCATE) of standalone tables holding exactly that month's rows with
   the same indexes: what `ALTER TABLE ... DETACH PARTITION` + `DROP TABLE` costs.

Prints one JSON object: rows, seconds, WAL bytes, table and index sizes before and after. WAL of
single statements comes from EXPLAIN (ANALYZE, WAL) and is exact; `wal_bytes_cluster` is the
server's LSN difference and includes whatever other databases on the server wrote meanwhile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast .venv/bin/python bench/purge.py
    ... bench/purge.py --messages 2000000     # smaller
    (or BENCH_PURGE_MESSAGES in the environment; `make bench-purge`)
"""

import argparse
import json
import os
import re
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common
from bench.purge_sql import execute, explain_wal, log, scalar, sizes, timed

MONTHS = 13
MONTH = timedelta(days=30)
ACCOUNTS = 1000
MESSAGE_STATUSES = ("in_transit", "out_for_delivery", "delivered")  # three messages per shipment
EVENT_STATUSES = ("ready_to_ship", "in_transit", "out_for_delivery", "delivered")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=int(os.environ.get("BENCH_PURGE_MESSAGES", "10000000")))
    parser.add_argument(
        "--purge-accounts",
        type=int,
        default=int(os.environ.get("BENCH_PURGE_ACCOUNTS", "10")),
        help="accounts the production purge runs for (a sample, extrapolated to all)",
    )
    args = parser.parse_args()
    if args.messages < 3 * ACCOUNTS * 2 * MONTHS or not 0 < args.purge_accounts <= ACCOUNTS // 2:
        parser.error(f"--messages must be at least {3 * ACCOUNTS * 2 * MONTHS}, --purge-accounts 1..{ACCOUNTS // 2}")
    return args


def main() -> None:
    args = arguments()
    with common.throwaway_database("purge"):
        print(json.dumps(run(args), indent=1))


# --- the data -------------------------------------------------------------------------------


def fill(*, messages: int, start) -> dict:
    """1,000 accounts of two brands (ORM), then shipments, events and messages (SQL) in time order."""
    from brands.models import Account, Brand

    Account.objects.bulk_create(
        Account(company_name=f"Bench {n} B.V.", country="NL", plan="growth") for n in range(ACCOUNTS)
    )
    Brand.objects.bulk_create(
        Brand(account_id=account_id, name=f"Bench {account_id}-{k}", slug=f"bench-{account_id}-{k}")
        for account_id in Account.objects.values_list("pk", flat=True)
        for k in range(2)
    )
    shipments = messages // len(MESSAGE_STATUSES)
    step = (MONTHS * MONTH).total_seconds() / shipments
    tables = ("tracking_shipment", "tracking_trackingevent", "messaging_message")
    # Bulk load as a restore would: secondary indexes built afterwards, FK triggers off (the rows
    # are consistent by construction). The primary keys and unique constraints stay.
    indexes = []
    for table in tables:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
            indexes += cursor.fetchall()
    for name, _ in indexes:
        execute(f'DROP INDEX "{name}"')
    execute("SET session_replication_role = replica")
    chunk = max(1, shipments // MONTHS)
    for first in range(0, shipments, chunk):
        last = min(shipments, first + chunk)
        log(f"shipments {first:,}..{last:,} of {shipments:,}")
        lo = scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM tracking_shipment")
        execute(
            """
            WITH b AS (SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS n FROM brands_brand),
                 total AS (SELECT COUNT(*) AS brands FROM brands_brand)
            INSERT INTO tracking_shipment (brand_id, carrier, carrier_name, tracking_number, order_number,
                recipient_name, recipient_phone, recipient_email, language, to_country, to_postal_code,
                pickup_point, tracking_token, proof_of_delivery_url, cash_on_delivery_currency, status,
                status_at, poll_failures, created_at, last_scan_at)
            SELECT b.id, 'sandbox', '', 'BENCH' || g, 'A-' || g, 'Shopper ' || g,
                   '+3161' || lpad((g %% 10000000)::text, 7, '0'), 'shopper' || g || '@example.com', 'en', 'NL',
                   '1012 AB', '', md5(g::text), '', '', 'delivered',
                   t.created + INTERVAL '3 days', 0, t.created, t.created + INTERVAL '3 days'
            FROM generate_series(%(first)s::bigint, %(last)s - 1) AS g
            CROSS JOIN LATERAL (SELECT %(start)s::timestamptz + g * %(step)s * INTERVAL '1 second' AS created) t
            JOIN b ON b.n = g %% (SELECT brands FROM total)
            ORDER BY g
            """,
            {"first": first, "last": last, "start": start, "step": step},
        )
        hi = scalar("SELECT MAX(id) FROM tracking_shipment")
        execute(
            """
            INSERT INTO tracking_trackingevent (shipment_id, status, raw_code, description, occurred_at, location,
                external_id, source, proof_of_delivery_url, recorded_at)
            SELECT s.id, st.status, 'K' || st.k, 'Parcel scanned at the hub', s.created_at + st.k * INTERVAL '20 hours',
                   'Amsterdam', 'ev-' || s.id || '-' || st.k, 'poll', '', s.created_at + st.k * INTERVAL '20 hours'
            FROM tracking_shipment s
            CROSS JOIN unnest(%(statuses)s::text[]) WITH ORDINALITY AS st(status, k)
            WHERE s.id BETWEEN %(lo)s AND %(hi)s ORDER BY s.id, st.k
            """,
            {"statuses": list(EVENT_STATUSES), "lo": lo, "hi": hi},
        )
        execute(
            """
            INSERT INTO messaging_message (shipment_id, brand_id, channel, kind, trigger_status, occurrence,
                language, recipient, subject, body, html, whatsapp_template, whatsapp_parameters, whatsapp_language,
                whatsapp_header_image, unsubscribe_url, state, error_code, error_message, provider,
                provider_message_id, price, currency, attempts, created_at, sent_at, delivered_at, read_at)
            SELECT s.id, s.brand_id, 'whatsapp', 'notification', st.status, 1, 'en', s.recipient_phone, '',
                   'Hi ' || s.recipient_name || ', your Bench order ' || s.order_number || ' is ' || st.status
                   || '. Follow it at https://parcelcast.example/t/' || s.tracking_token
                   || ' Reply STOP to stop these messages.', '',
                   'parcel_' || st.status || '_v1',
                   jsonb_build_array(s.recipient_name, s.order_number, 'https://parcelcast.example/t/' || s.tracking_token),
                   'en', '', 'https://parcelcast.example/u/' || md5(s.id::text || st.status), 'read', '', '',
                   'whatsapp', 'wamid.' || md5(s.id::text || '/' || st.status), 0.14, 'EUR', 1,
                   s.created_at + st.k * INTERVAL '20 hours', s.created_at + st.k * INTERVAL '20 hours',
                   s.created_at + st.k * INTERVAL '20 hours' + INTERVAL '5 seconds',
                   s.created_at + st.k * INTERVAL '21 hours'
            FROM tracking_shipment s
            CROSS JOIN unnest(%(statuses)s::text[]) WITH ORDINALITY AS st(status, k)
            WHERE s.id BETWEEN %(lo)s AND %(hi)s ORDER BY s.id, st.k
            """,
            {"statuses": list(MESSAGE_STATUSES), "lo": lo, "hi": hi},
        )
    execute("SET session_replication_role = DEFAULT")
    for name, definition in indexes:
        log(f"index {name}")
        execute(definition)
    for table in tables:
        execute(f"VACUUM ANALYZE {table}")
    return {table: scalar(f"SELECT COUNT(*) FROM {table}") for table in tables}


# --- the three ways -------------------------------------------------------------------------


def production_purge(*, accounts: list[int], now) -> dict:
    from brands.models import Account
    from messaging import retention

    totals = retention.PurgeResult()

    def work():
        for account in Account.objects.filter(pk__in=accounts).order_by("pk"):
            done = retention.purge_account(account=account, now=now)
            totals.shipments += done.shipments
            totals.messages += done.messages

    measured, _ = timed(f"production purge of {len(accounts)} accounts", work)
    return {
        "accounts": len(accounts),
        "shipments_scrubbed": totals.shipments,
        "messages_scrubbed": totals.messages,
        **measured,
    }


def message_update_plan(cutoff) -> list[str]:
    """The plan of the purge's message UPDATE for one batch of shipments (EXPLAIN, not run)."""
    ids = [
        row
        for row in scalar_list("SELECT id FROM tracking_shipment WHERE status_at < %s ORDER BY id LIMIT 1000", [cutoff])
    ]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN UPDATE messaging_message SET body = '' WHERE shipment_id = ANY(%s)", [ids])
        # The 1,000 ids are left out of the printed plan.
        return [re.sub(r"'\{[0-9,]+\}'", "'{...}'", row[0]) for row in cursor.fetchall() if "JIT" not in row[0]]


def scalar_list(sql: str, params=None) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def month_tables(cutoff) -> dict:
    """Standalone copies of the oldest month with the same indexes: a partition's worth of rows."""
    copies = {
        "messaging_message": ("bench_month_message", "created_at"),
        "tracking_trackingevent": ("bench_month_event", "recorded_at"),
    }
    for table, (copy, column) in copies.items():
        execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)")
        execute(f"INSERT INTO {copy} SELECT * FROM {table} WHERE {column} < %s", [cutoff])
        execute(f"VACUUM ANALYZE {copy}")
    return copies


def fk_check_without_index(*, cutoff, rows: int = 3) -> dict:
    """Deleting a message checks that no message names it as `fallback_of`, and that column has no
    index: each deleted row reads the whole table. Measured on a few rows, rolled back."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        execute("SET CONSTRAINTS ALL IMMEDIATE")
        execute(
            "DELETE FROM messaging_message WHERE id IN (SELECT id FROM messaging_message "
            "WHERE created_at < %s ORDER BY id LIMIT %s)",
            [cutoff, rows],
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    del connection
    return {"rows": rows, "seconds": round(seconds, 3), "seconds_per_row": round(seconds / rows, 3)}


def delete_month(*, cutoff) -> dict:
    """One DELETE per table, foreign keys checked; messages only once fallback_of_id is indexed."""
    execute("DROP INDEX messaging_message_fallback_idx")  # as before messaging/0020
    out = {"message_delete_without_fallback_index": fk_check_without_index(cutoff=cutoff)}
    index, _ = timed(
        "CREATE INDEX messaging_message (fallback_of_id)",
        lambda: execute(
            "CREATE INDEX messaging_message_fallback_idx ON messaging_message (fallback_of_id) "
            "WHERE fallback_of_id IS NOT NULL"
        ),
    )
    out["create_fallback_index_seconds"] = index["seconds"]
    for table, column in (("messaging_message", "created_at"), ("tracking_trackingevent", "recorded_at")):
        before = sizes(table)[table]
        measured, wal = timed(
            f"DELETE {table}", lambda t=table, c=column: explain_wal(f"DELETE FROM {t} WHERE {c} < %s", [cutoff])
        )
        vacuum, _ = timed(f"VACUUM {table}", lambda t=table: execute(f"VACUUM {t}"))
        out[table] = {
            "seconds": measured["seconds"],
            "wal_bytes": wal["wal_bytes"],
            "wal_fpi": wal["wal_fpi"],
            "wal_bytes_cluster": measured["wal_bytes_cluster"],
            "before": before,
            "after": sizes(table)[table],
            "vacuum_seconds": vacuum["seconds"],
            "vacuum_wal_bytes_cluster": vacuum["wal_bytes_cluster"],
        }
    return out


def drop_month(copies: dict) -> dict:
    out = {}
    for table, (copy, _) in copies.items():
        rows = scalar(f"SELECT COUNT(*) FROM {copy}")
        size = sizes(copy)[copy]
        # TRUNCATE on one copy, DROP on a second copy: both are what dropping a partition costs.
        execute(f"CREATE TABLE {copy}_2 (LIKE {copy} INCLUDING ALL)")
        execute(f"INSERT INTO {copy}_2 SELECT * FROM {copy}")
        truncate, _ = timed(f"TRUNCATE {copy}", lambda c=copy: execute(f"TRUNCATE {c}"))
        drop, _ = timed(f"DROP TABLE {copy}_2", lambda c=copy: execute(f"DROP TABLE {c}_2"))
        execute(f"DROP TABLE {copy}")
        out[table] = {"rows": rows, "size": size, "truncate": truncate, "drop": drop}
    return out


def run(args) -> dict:
    from django.utils import timezone

    from brands.models import Account

    started = time.perf_counter()
    start = (timezone.now() - MONTHS * MONTH).replace(microsecond=0)
    cutoff = start + MONTH  # the oldest of 13 months
    counts = fill(messages=args.messages, start=start)
    fill_seconds = time.perf_counter() - started
    tables = ("messaging_message", "tracking_trackingevent", "tracking_shipment")
    before = sizes(*tables)
    month_rows = {
        "messaging_message": scalar("SELECT COUNT(*) FROM messaging_message WHERE created_at < %s", [cutoff]),
        "tracking_trackingevent": scalar(
            "SELECT COUNT(*) FROM tracking_trackingevent WHERE recorded_at < %s", [cutoff]
        ),
        "tracking_shipment": scalar("SELECT COUNT(*) FROM tracking_shipment WHERE status_at < %s", [cutoff]),
    }
    # The job's cut-off is now - retention_days: pretend "now" is the day the oldest month expires.
    retention_days = Account._meta.get_field("retention_days").default
    now = cutoff + timedelta(days=retention_days)
    account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    # Measured as before messaging/0020: without its index on shipment_id, then with it.
    execute("DROP INDEX messaging_message_shipment_idx")
    plan = message_update_plan(cutoff)
    purge = production_purge(accounts=account_ids[: args.purge_accounts], now=now)
    per_account = purge["seconds"] / args.purge_accounts
    purge["plan"] = plan
    purge["estimated_seconds_all_accounts"] = round(per_account * len(account_ids), 1)
    index_seconds, _ = timed(
        "CREATE INDEX messaging_message (shipment_id)",
        lambda: execute("CREATE INDEX messaging_message_shipment_idx ON messaging_message (shipment_id)"),
    )
    purge_indexed = production_purge(accounts=account_ids[args.purge_accounts : 2 * args.purge_accounts], now=now)
    purge_indexed["create_index_seconds"] = index_seconds["seconds"]
    purge_indexed["estimated_seconds_all_accounts"] = round(
        purge_indexed["seconds"] / args.purge_accounts * len(account_ids), 1
    )
    copies = month_tables(cutoff)
    delete = delete_month(cutoff=cutoff)
    drop = drop_month(copies)
    load = os.getloadavg()
    return {
        "bench": "purge",
        "messages": counts["messaging_message"],
        "events": counts["tracking_trackingevent"],
        "shipments": counts["tracking_shipment"],
        "months": MONTHS,
        "accounts": len(account_ids),
        "oldest_month_rows": month_rows,
        "fill_seconds": round(fill_seconds, 1),
        "sizes_before": before,
        "purge": purge,
        "purge_indexed": purge_indexed,
        "delete": delete,
        "drop": drop,
        "sizes_after": sizes(*tables),
        "loadavg_at_end": [round(x, 2) for x in load],
        "total_seconds": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    main()
