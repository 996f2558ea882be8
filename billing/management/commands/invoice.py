"""`invoice [--period YYYY-MM]`: the monthly invoicing job for one month, the same code as the
beat task (default: the previous month). Idempotent; refuses a month that has not ended.
Prints the run's report as one JSON object on stdout; a progress bar over the accounts on a
terminal and a summary line on stderr (core/progress.py)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.invoicing import invoice_period
from billing.periods import Period, PeriodError
from core.progress import Summary, progress_bar


class Command(BaseCommand):
    help = "Invoice one month (default: the previous month) into draft invoices."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="the month to invoice, YYYY-MM (default: the previous month)")

    def handle(self, *args, verbosity=1, **options):
        now, summary = timezone.now(), Summary()
        try:
            period = Period.parse(options["period"]) if options["period"] else Period.previous(now.date())
            with progress_bar(self, description=f"Invoicing {period}", total=None, verbosity=verbosity) as advance:
                report = invoice_period(period=period, now=now, progress=advance)
        except PeriodError as exc:
            raise CommandError(f"--period: {exc}") from exc
        self.stdout.write(json.dumps(report.as_dict()))
        summary.line(self.stderr, f"Invoiced {period}: {report.accounts} accounts, {report.invoices_created} "
                                  f"invoices created, {report.invoices_extended} extended, {report.charges_billed} "
                                  f"charges billed, {len(report.failed)} failed")
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} account(s) could not be invoiced (see above); the others are. "
                "Fix the cause and run the command again: it finishes them."
            )
