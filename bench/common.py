"""What every benchmark shares: refusing to run off PostgreSQL, and a throwaway database.

Each bench prints one JSON object; on a refusal that object carries "error" and the exit code is 1.
"""

import contextlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "psql://")


def refuse(bench: str, message: str) -> None:
    print(json.dumps({"bench": bench, "error": message}))
    print(f"bench/{bench}.py: {message}", file=sys.stderr)
    sys.exit(1)


def require_postgres_url(bench: str, why: str = "the benchmark is meaningless on SQLite") -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(POSTGRES_SCHEMES):
        refuse(bench, f"needs PostgreSQL: set DATABASE_URL=postgres://... ({why})")
    return url


def require_redis_url(bench: str, why: str = "") -> str:
    """The Redis broker URL (CELERY_BROKER_URL), or refuse to run."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        refuse(bench, "needs Redis: set CELERY_BROKER_URL=redis://..." + (f" ({why})" if why else ""))
    return url


@contextlib.contextmanager
def throwaway_database(bench: str):
    """Django set up on a fresh, migrated database next to DATABASE_URL's, dropped afterwards."""
    require_postgres_url(bench)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        refuse(bench, f"DATABASE_URL points at {connection.vendor}, not PostgreSQL")
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"parcelcast_bench_{bench}_{os.getpid()}"
    original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
