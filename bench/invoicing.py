"""The monthly invoicing job at scale: 5,000,000 charges over 10,000 accounts on PostgreSQL.

Creates a throwaway database next to DATABASE_URL's (parcelcast_bench_invoicing), migrates it,
fills it with INSERT ... SELECT generate_series (two brands per account; some accounts change plan
on the 10th, so they have two unit prices; some pay a sub-cent price), runs the invoicing job
for that month, checks every charge was billed exactly once, drops the database and prints one
JSON object: the job's seconds, invoices, lines, and the seconds of the bare
`SELECT account_id, SUM(unit_price) ... GROUP BY account_id` over the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcelcast .venv/bin/python bench/invoicing.py
    ... bench/invoicing.py --charges 500000 --accounts 1000     # a quicker run
    (or BENCH_INVOICING_CHARGES / BENCH_INVOICING_ACCOUNTS in the environment)
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

BENCH_DB = "parcelcast_bench_invoicing"


def refuse(message: str) -> None:
    common.refuse("invoicing", message)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Defaults may also come from the environment (e.g. for `make bench` on a small machine).
    parser.add_argument("--charges", type=int, default=int(os.environ.get("BENCH_INVOICING_CHARGES", 5_000_000)))
    parser.add_argument("--accounts", type=int, default=int(os.environ.get("BENCH_INVOICING_ACCOUNTS", 10_000)))
    parser.add_argument("--batch", type=int, default=None, help="accounts per GROUP BY (default: the job's)")
    args = parser.parse_args()
    if args.charges < 1 or args.accounts < 1:
        parser.error("--charges and --accounts must be positive")
    return args


def main() -> None:
    args = arguments()
    url = common.require_postgres_url("invoicing")
    import psycopg

    parts = urlsplit(url)
    # The server's maintenance database, like Django's own test runner (DATABASE_URL's may not exist).
    server_dsn = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(server_dsn, autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        server.execute(f"CREATE DATABASE {BENCH_DB}")
    # Django reads DATABASE_URL when the settings load: point it at the throwaway database first.
    os.environ["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DB}", parts.query, ""))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(json.dumps(run(args)))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_dsn, autocommit=True) as server:
            server.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def run(args) -> dict:
    from django.db import connection
    from django.utils import timezone

    from billing import invoicing
    from billing.periods import Period

    period = Period.previous(timezone.now().date())
    started = time.perf_counter()
    fill(accounts=args.accounts, charges=args.charges, period=period)
    fill_seconds = time.perf_counter() - started

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "SELECT account_id, SUM(unit_price) FROM billing_charge WHERE created_at >= %s AND created_at < %s "
            "GROUP BY account_id", [period.start, period.end],
        )
        groups = len(cursor.fetchall())
        bare_group_by = time.perf_counter() - started

    started = time.perf_counter()
    report = invoicing.invoice_period(period=period, batch_size=args.batch or invoicing.BATCH_SIZE)
    seconds = time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COALESCE(SUM(net), 0) FROM billing_invoice")
        invoices, net = cursor.fetchone()
        cursor.execute("SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM billing_invoiceline")
        lines, billed = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM billing_charge WHERE invoice_line_id IS NULL")
        (unbilled,) = cursor.fetchone()
        cursor.execute("SELECT ROUND(SUM(unit_price), 2) FROM billing_charge")
        (charge_sum,) = cursor.fetchone()
    if report.failed or unbilled or billed != args.charges or groups != args.accounts:
        raise SystemExit(f"inconsistent run: failed={report.failed} unbilled={unbilled} billed={billed}")
    return {
        "bench": "invoicing",
        "database": connection.vendor,
        "period": str(period),
        "charges": args.charges,
        "accounts": args.accounts,
        "seconds": round(seconds, 3),
        "invoices": invoices,
        "lines": lines,
        "charges_billed": report.charges_billed,
        "charges_per_second": round(args.charges / seconds, 1),
        "accounts_per_second": round(invoices / seconds, 1),
        "bare_group_by_seconds": round(bare_group_by, 3),
        "fill_seconds": round(fill_seconds, 3),
        "net_total": str(net),
        "sum_of_unit_prices": str(charge_sum),
    }


def fill(*, accounts: int, charges: int, period) -> None:
    """Accounts and brands through the ORM (small), charges with one INSERT ... SELECT (large)."""
    from django.db import connection

    from brands.models import Account, Brand

    countries = ("NL", "DE", "FR", "BE", "US")
    Account.objects.bulk_create(
        (Account(company_name=f"Bench {n} B.V.", country=countries[n % len(countries)], plan="growth",
                 vat_number=f"XX{n:09d}" if n % 3 == 0 else "") for n in range(accounts)),
        batch_size=5000,
    )
    account_ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    Brand.objects.bulk_create(
        (Brand(account_id=account_id, name=f"Bench {n}-{k}", slug=f"bench-{n}-{k}")
         for n, account_id in enumerate(account_ids) for k in range(2)),
        batch_size=5000,
    )
    seconds_in_month = int((period.end - period.start).total_seconds())
    with connection.cursor() as cursor:
        # Bulk load: secondary indexes are dropped and built again afterwards (much faster than
        # maintaining them row by row); the primary key and unique constraints stay.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'billing_charge' "
            "AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Charge g goes to brand g % brands at a moment spread over the month. Brands of every
        # fourth account were on lite (0.16) until the 10th; every seventh pays a sub-cent price.
        cursor.execute(
            """
            WITH b AS (SELECT id, account_id, (row_number() OVER (ORDER BY id)) - 1 AS n FROM brands_brand),
                 total AS (SELECT COUNT(*) AS brands FROM brands_brand)
            INSERT INTO billing_charge (account_id, brand_id, message_id, channel, unit_price, currency, created_at,
                                        invoice_line_id)
            SELECT b.account_id, b.id, NULL, 'whatsapp',
                   CASE WHEN b.n %% 7 = 3 THEN 0.0456
                        WHEN b.n %% 8 < 2 AND (g * 7919) %% %(seconds)s < 9 * 86400 THEN 0.16
                        ELSE 0.14 END,
                   'EUR', %(start)s + ((g * 7919) %% %(seconds)s) * INTERVAL '1 second', NULL
            FROM generate_series(0::bigint, %(charges)s - 1) AS g
            JOIN b ON b.n = g %% (SELECT brands FROM total)
            """,
            {"start": period.start, "seconds": seconds_in_month, "charges": charges},
        )
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE billing_charge")  # autocommit: as after a month of real traffic


if __name__ == "__main__":
    main()
