"""`forecast_backtest --account N [--month YYYY-MM] [--days]`: how good the spend forecast was on
an ended month of the account (default: the previous month), every morning against the month's
total, beside the plain run rate (billing/forecast_backtest.py). One JSON object on stdout."""

import dataclasses
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.forecast import history_window
from billing.forecast_backtest import backtest
from billing.periods import Period, PeriodError
from billing.spend import daily_amounts
from brands.models import Account


class Command(BaseCommand):
    help = "Score the spend forecast on an ended month of one account (default: the previous month)."

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, required=True, help="the account's id")
        parser.add_argument("--month", help="an ended month, YYYY-MM (default: the previous month)")
        parser.add_argument("--days", action="store_true", help="add every morning's forecast and run rate")

    def handle(self, *args, **options):
        now = timezone.now()
        try:
            period = Period.parse(options["month"]) if options["month"] else Period.previous(now.date())
        except PeriodError as exc:
            raise CommandError(f"--month: {exc}") from exc
        if not period.has_ended(now):
            raise CommandError(f"--month: {period} has not ended yet: only an ended month can be scored.")
        account = Account.objects.filter(pk=options["account"]).first()
        if account is None:
            raise CommandError(f"--account: there is no account {options['account']}.")
        amounts = daily_amounts(account=account, first=history_window(period.first)[0],
                                last=period.next().first - dt.timedelta(days=1))
        result = backtest(amounts, month=period.first)
        report = {"account": account.pk, **result.summary()}
        if options["days"]:
            report["days"] = [{field: str(value) if value is not None else None
                               for field, value in dataclasses.asdict(morning).items()}
                              for morning in result.mornings]
        self.stdout.write(json.dumps(report))
