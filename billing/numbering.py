"""Gap-free invoice numbers per year: PC-2026-000001, PC-2026-000002, ...

One counter row per year, locked with select_for_update and incremented in the caller's
transaction, the one that issues the invoice: if it rolls back, so does the number, so numbers
are never skipped; the lock makes concurrent issuers wait their turn, so none is used twice.
Never MAX()+1: two transactions would read the same maximum.
"""

from __future__ import annotations

from django.db import transaction

from billing.models import InvoiceCounter

PREFIX = "PC"


def format_number(year: int, sequence: int) -> str:
    return f"{PREFIX}-{year}-{sequence:06d}"


def next_invoice_number(*, year: int) -> str:
    """The next number of `year`. Must run inside the transaction that issues the invoice."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_invoice_number() must run in the transaction that issues the invoice.")
    # The first number of a year creates its counter; ON CONFLICT DO NOTHING lets two first
    # issuers race without an IntegrityError, then both queue on the row lock below.
    InvoiceCounter.objects.bulk_create([InvoiceCounter(year=year)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1  # safe: the row is locked until our transaction ends
    counter.save(update_fields=["last_number"])
    return format_number(year, counter.last_number)
