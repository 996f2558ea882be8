"""What bench/purge.py measures with: plain SQL on Django's connection, sizes, WAL and timings."""

import json
import sys
import time


def log(text: str) -> None:
    print(f"bench/purge.py: {text}", file=sys.stderr, flush=True)




def scalar(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def execute(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def sizes(*tables: str) -> dict:
    return {
        table: {
            "table_bytes": scalar("SELECT pg_table_size(%s::regclass)", [table]),
            "index_bytes": scalar("SELECT pg_indexes_size(%s::regclass)", [table]),
        }
        for table in tables
    }


def lsn() -> str:
    return scalar("SELECT pg_current_wal_lsn()::text")


def wal_since(start: str) -> int:
    return int(scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", [start]))


def timed(label: str, work) -> dict:
    """Run `work()` in autocommit after a CHECKPOINT (so full-page images count as in production
    right after one), with seconds and the server's WAL difference."""
    execute("CHECKPOINT")
    log(f"{label}...")
    start_lsn, started = lsn(), time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    out = {"seconds": round(seconds, 3), "wal_bytes_cluster": wal_since(start_lsn)}
    log(f"{label}: {seconds:.1f} s")
    return out, result


def explain_wal(sql: str, params=None) -> dict:
    """Run a DML statement under EXPLAIN (ANALYZE, WAL): its own WAL, not the server's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, WAL, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
    top = plan["Plan"]
    return {
        "rows": top.get("Actual Rows", 0) if top["Node Type"] != "ModifyTable" else None,
        "wal_bytes": top.get("WAL Bytes"),
        "wal_fpi": top.get("WAL FPI"),
        "execution_ms": round(plan["Execution Time"], 1),
    }


