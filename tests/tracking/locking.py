"""Two transactions at once on PostgreSQL, for the pick-ups that claim rows with SKIP LOCKED."""

import threading
from collections.abc import Callable

from django.db import connection, transaction


def while_locks_are_held(hold: Callable, meanwhile: Callable) -> tuple:
    """Run `hold` in a transaction that keeps its row locks until `meanwhile`, in another thread
    (another connection), is over; returns both results. Fails if `meanwhile` waited for the locks."""
    holding, done = threading.Event(), threading.Event()
    results: dict[str, object] = {}
    errors: list[BaseException] = []

    def first():
        try:
            with transaction.atomic():
                results["hold"] = hold()
                holding.set()
                assert done.wait(timeout=20), "the second transaction blocked on the first one's locks"
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
            holding.set()
        finally:
            connection.close()

    def second():
        try:
            assert holding.wait(timeout=20)
            results["meanwhile"] = meanwhile()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results["hold"], results["meanwhile"]
