"""The monthly invoicing job: each account's unbilled charges of a month become one draft invoice.

How it stays correct when run twice, concurrently, or after a crash:
- it only ever bills charges whose `invoice_line` is null, and links each charge to the line
  that bills it in the same transaction that creates the line (one UPDATE per line);
- each account is invoiced in its own transaction, under a lock on the account row, so an
  account is either fully invoiced or not at all, and two runs never invoice it together;
- an account whose invoice already exists is left as it is, except a draft that gets charges
  that arrived late (they are added to it); an issued invoice never changes, and charges that
  turn up after it was issued stay unbilled (reported as `late_charges`) until an admin voids
  it and the job runs again.

Aggregation happens in the database: one GROUP BY (account, brand, channel, unit price) per
batch of accounts; Python only sees those groups, never individual charges.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.utils import timezone

from billing.models import Charge, Invoice, InvoiceLine, InvoiceStatus
from billing.periods import Period
from billing.vat import VatTreatment, current_vat_rates, vat_treatment
from brands.models import Account

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
CURRENCY = "EUR"
CENT = Decimal("0.01")
PRICE_STEP = Decimal("0.0001")  # Charge.unit_price has 4 decimal places


def line_amount(quantity: int, unit_price: Decimal) -> Decimal:
    """quantity x unit price, rounded half-up to the cent (never the unit price itself)."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Group:
    """What one line bills: the charges of a brand, channel and unit price."""

    brand_id: int
    brand_name: str
    channel: str
    unit_price: Decimal
    currency: str
    quantity: int

    @property
    def key(self) -> tuple:
        return (self.brand_id, self.channel, self.unit_price)


@dataclass
class Outcome:
    account_id: int
    invoice_id: int | None = None
    created: bool = False  # a new draft
    extended: bool = False  # late charges added to an existing draft
    lines: int = 0  # lines created
    charges: int = 0  # charges billed now
    late_charges: int = 0  # unbilled because the invoice was already issued


@dataclass
class Report:
    period: str
    accounts: int = 0
    invoices_created: int = 0
    invoices_extended: int = 0
    lines_created: int = 0
    charges_billed: int = 0
    late_charges: dict[int, int] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        self.accounts += 1
        self.invoices_created += outcome.created
        self.invoices_extended += outcome.extended
        self.lines_created += outcome.lines
        self.charges_billed += outcome.charges
        if outcome.late_charges:
            self.late_charges[outcome.account_id] = outcome.late_charges

    def as_dict(self) -> dict:
        data = asdict(self)
        data["late_charges"] = {str(k): v for k, v in self.late_charges.items()}
        data["failed"] = {str(k): v for k, v in self.failed.items()}
        return data


def unbilled_charges(period: Period):
    """Charges of the period not billed by any invoice line (the partial index covers this)."""
    return Charge.objects.filter(created_at__gte=period.start, created_at__lt=period.end, invoice_line__isnull=True)


def accounts_to_invoice(period: Period) -> list[int]:
    return list(unbilled_charges(period).values_list("account_id", flat=True).distinct().order_by("account_id"))


def invoice_period(*, period: Period, now=None, batch_size: int = BATCH_SIZE,
                   progress: Callable[..., None] | None = None) -> Report:
    """Invoice every account with unbilled charges in `period` (which must have ended).
    `progress(count, total=None)` hears of the accounts done, batch by batch (core.progress)."""
    period.ensure_ended(now or timezone.now())
    report = Report(period=str(period))
    accounts = accounts_to_invoice(period)
    advance = progress or (lambda count, total=None: None)
    advance(0, total=len(accounts))
    for batch in chunked(accounts, batch_size):
        invoice_accounts(period=period, account_ids=batch, report=report)
        advance(len(batch))
    return report


def invoice_accounts(*, period: Period, account_ids: list[int], report: Report | None = None) -> Report:
    """One batch: one GROUP BY for all its accounts, then one transaction per account.

    An account that fails is logged and reported; the others go on. A crash (the process
    dies) leaves finished accounts finished and the rest untouched, for the next run.
    """
    report = report or Report(period=str(period))
    groups = groups_by_account(period=period, account_ids=account_ids)
    vat_rates = current_vat_rates()  # once per batch, not once per account
    with relaxed_commit_durability():
        for account_id in account_ids:
            try:
                outcome = invoice_account(period=period, account_id=account_id, groups=groups.get(account_id, []),
                                          vat_rates=vat_rates)
            except Exception as exc:  # noqa: BLE001 - one account's problem must not stop the others
                logger.exception("Invoicing %s failed for account %s", period, account_id)
                report.failed[account_id] = f"{type(exc).__name__}: {exc}"
            else:
                report.add(outcome)
    return report


@contextmanager
def relaxed_commit_durability() -> Iterator[None]:
    """PostgreSQL: the job's commits do not wait for their WAL flush (10,000 small transactions
    are several times faster). Safe for this job only: a commit lost in a crash loses one whole
    account's invoice, which the re-run makes again; and any later commit (issuing that invoice)
    flushes the WAL up to itself first, so nothing can survive that depends on a lost one."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")  # the connection may be reused (CONN_MAX_AGE)
        except DatabaseError:  # a broken connection is discarded anyway; keep the original error
            logger.warning("Could not reset synchronous_commit", exc_info=True)


def groups_by_account(*, period: Period, account_ids: Iterable[int]) -> dict[int, list[Group]]:
    rows = (
        unbilled_charges(period)
        .filter(account_id__in=list(account_ids))
        .values("account_id", "brand_id", "channel", "unit_price", "currency", brand_name=F("brand__name"))
        .annotate(quantity=Count("id"))
        .order_by()  # the model's default ordering would join the GROUP BY
    )
    groups: dict[int, list[Group]] = defaultdict(list)
    for row in rows:
        account_id = row.pop("account_id")
        row["unit_price"] = row["unit_price"].quantize(PRICE_STEP)
        groups[account_id].append(Group(**row))
    return groups


def invoice_account(*, period: Period, account_id: int, groups: list[Group],
                    vat_rates: dict[str, Decimal] | None = None) -> Outcome:
    """Bill `groups` (this account's unbilled charges, as aggregated) into its draft invoice."""
    outcome = Outcome(account_id=account_id)
    if not groups:
        return outcome
    foreign = {group.currency for group in groups} - {CURRENCY}
    if foreign:
        raise ValueError(f"charges in {', '.join(sorted(foreign))}: invoices are in {CURRENCY} only")
    with transaction.atomic():
        # The account row lock serialises runs for this account; the live invoice comes along.
        live = Invoice.objects.filter(account=OuterRef("pk"), period=period.first).exclude(status=InvoiceStatus.VOID)
        account = (
            Account.objects.select_for_update(of=("self",))
            .annotate(live_invoice_id=Subquery(live.values("pk")[:1])).get(pk=account_id)
        )
        invoice = None
        if account.live_invoice_id is not None:
            invoice = Invoice.objects.select_for_update().get(pk=account.live_invoice_id)
        if invoice is not None and invoice.status != InvoiceStatus.DRAFT:
            outcome.invoice_id = invoice.pk
            outcome.late_charges = unbilled_charges(period).filter(account=account).count()
            if outcome.late_charges:
                logger.warning("%s charges of account %s arrived after %s was issued", outcome.late_charges,
                               account_id, invoice)
            return outcome
        created = invoice is None
        treatment = vat_treatment(country=account.country if created else invoice.customer_country,
                                  vat_number=account.vat_number if created else invoice.customer_vat_number,
                                  rates=vat_rates)
        # Plan the lines from the GROUP BY, write them, then link the charges.
        lines = {line.key: line for line in _lines_with_keys(invoice)} if not created else {}
        for group in groups:
            line = lines.setdefault(group.key, InvoiceLine(
                brand_id=group.brand_id, brand_name=group.brand_name, channel=group.channel,
                unit_price=group.unit_price, quantity=0, amount=Decimal("0.00")))
            line.key = group.key
            line.quantity += group.quantity
            line.amount = line_amount(line.quantity, line.unit_price)
        if created:
            invoice = _new_draft(account, period)
        _set_totals(invoice, lines.values(), treatment)  # inserts a new draft, updates an old one
        new_lines = [line for line in lines.values() if line.pk is None]
        for line in new_lines:
            line.invoice = invoice
        InvoiceLine.objects.bulk_create(new_lines)
        if not created:
            InvoiceLine.objects.bulk_update([line for line in lines.values() if line not in new_lines],
                                            ["quantity", "amount"])
        billed = _link_charges(invoice, groups, lines, period, treatment)
        if not billed:  # another run billed them between our GROUP BY and our lock
            transaction.set_rollback(True)
            return Outcome(account_id=account_id, invoice_id=None if created else invoice.pk)
        outcome.invoice_id, outcome.charges = invoice.pk, billed
        outcome.lines = sum(1 for line in new_lines if line.quantity)
        outcome.created, outcome.extended = created, not created
    return outcome


def _new_draft(account: Account, period: Period) -> Invoice:
    return Invoice(
        account=account, period=period.first, status=InvoiceStatus.DRAFT, currency=CURRENCY,
        customer_name=account.company_name, customer_country=account.country,
        customer_vat_number=account.vat_number, plan=account.plan,
    )


def _link_charges(invoice: Invoice, groups: list[Group], lines: dict, period: Period, treatment) -> int:
    """One UPDATE sets each unbilled charge's invoice_line to the line of its brand, channel and
    unit price. Returns the charges billed.

    Under the account lock charges can be added but never removed or billed by anyone else, so
    a row count equal to the GROUP BY's total means every line's planned quantity is exact; if
    it is larger (a charge recorded meanwhile), the lines are recounted and the totals follow.
    """
    line_of_charge = InvoiceLine.objects.filter(
        invoice=invoice, brand_id=OuterRef("brand_id"), channel=OuterRef("channel"), unit_price=OuterRef("unit_price")
    )
    billed = (
        unbilled_charges(period).filter(account_id=invoice.account_id, currency=CURRENCY)
        .filter(Exists(line_of_charge)).update(invoice_line=Subquery(line_of_charge.values("pk")[:1]))
    )
    if billed != sum(group.quantity for group in groups):
        counts = dict(
            Charge.objects.filter(invoice_line__invoice=invoice).order_by().values("invoice_line")
            .annotate(n=Count("id")).values_list("invoice_line", "n")
        )
        for line in lines.values():
            line.quantity = counts.get(line.pk, 0)
            line.amount = line_amount(line.quantity, line.unit_price)
        InvoiceLine.objects.bulk_update([line for line in lines.values() if line.quantity], ["quantity", "amount"])
        InvoiceLine.objects.filter(pk__in=[line.pk for line in lines.values() if not line.quantity]).delete()
        _set_totals(invoice, [line for line in lines.values() if line.quantity], treatment)
    return billed


def _lines_with_keys(invoice: Invoice) -> Iterator[InvoiceLine]:
    for line in invoice.lines.all():
        # Normalise the price so 0.14 and 0.1400 are the same key on every database.
        line.unit_price = line.unit_price.quantize(PRICE_STEP)
        line.key = (line.brand_id, line.channel, line.unit_price)
        yield line


def _set_totals(invoice: Invoice, lines: Iterable[InvoiceLine], treatment: VatTreatment) -> None:
    """net = sum of the line amounts; VAT by the customer's country; total = net + VAT."""
    invoice.net = sum((line.amount for line in lines), Decimal("0.00"))
    invoice.vat_rate = treatment.rate
    invoice.vat = treatment.vat_on(invoice.net)
    invoice.total = invoice.net + invoice.vat
    invoice.reverse_charge = treatment.reverse_charge
    invoice.vat_note = treatment.note
    invoice.save()


def chunked(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
