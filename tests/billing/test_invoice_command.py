"""`manage.py invoice [--period YYYY-MM]` and the beat task run the same job."""

import datetime as dt
import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from billing import tasks
from billing.models import Invoice
from billing.periods import Period
from config.beat import BEAT_SCHEDULE
from tests.billing.conftest import add_charges
from tests.factories import AccountFactory, BrandFactory

pytestmark = pytest.mark.usefixtures("vat_rates")


def run(*args) -> dict:
    out = StringIO()
    call_command("invoice", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_invoices_the_given_month_and_prints_a_report(account, brand):
    add_charges(account, brand, 10)

    report = run("--period", "2026-03")

    assert (report["period"], report["invoices_created"], report["charges_billed"]) == ("2026-03", 1, 10)
    assert Invoice.objects.get().period == dt.date(2026, 3, 1)


def test_the_command_defaults_to_the_previous_month(account, brand):
    previous = Period.previous(timezone.now().date())
    add_charges(account, brand, 3, at=previous.start + dt.timedelta(hours=5))

    report = run()

    assert report["period"] == str(previous) and report["invoices_created"] == 1


def test_running_the_command_twice_changes_nothing(account, brand):
    add_charges(account, brand, 10)
    run("--period", "2026-03")
    before = list(Invoice.objects.values())

    report = run("--period", "2026-03")

    assert report["invoices_created"] == 0 and report["charges_billed"] == 0
    assert list(Invoice.objects.values()) == before


@pytest.mark.parametrize("month", ["this", "next-year"])
def test_the_command_refuses_a_month_that_has_not_ended(db, month):
    today = timezone.now().date()
    period = str(Period.of(today)) if month == "this" else f"{today.year + 1}-01"

    with pytest.raises(CommandError, match="has not ended"):
        call_command("invoice", "--period", period)


@pytest.mark.parametrize("period", ["2026-3", "2026-13", "March", "2026-03-01"])
def test_the_command_refuses_a_malformed_period(db, period):
    with pytest.raises(CommandError, match=r"--period: .*YYYY-MM"):
        call_command("invoice", "--period", period)


def test_the_command_fails_loudly_when_an_account_could_not_be_invoiced(account, brand):
    add_charges(account, brand, 1)
    out = StringIO()

    with mock.patch("billing.invoicing.vat_treatment", side_effect=RuntimeError("boom")), \
            pytest.raises(CommandError, match="1 account"):
        call_command("invoice", "--period", "2026-03", stdout=out)

    assert json.loads(out.getvalue())["failed"] == {str(account.pk): "RuntimeError: boom"}


def test_beat_runs_the_job_on_the_first_of_each_month():
    entry = BEAT_SCHEDULE["monthly-invoicing"]

    assert entry["task"] == "billing.tasks.invoice_previous_month"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1} and schedule.hour == {3} and schedule.minute == {0}


def test_the_beat_task_invoices_the_previous_month_in_batches(db):
    previous = Period.previous(timezone.now().date())
    accounts = [AccountFactory() for _ in range(5)]
    for account in accounts:
        add_charges(account, BrandFactory(account=account), 2, at=previous.start + dt.timedelta(days=1))

    with mock.patch("billing.invoicing.BATCH_SIZE", 2):
        batches = tasks.invoice_previous_month.delay().get()

    assert batches == 3
    assert Invoice.objects.filter(period=previous.first).count() == 5
    assert tasks.invoice_previous_month.delay().get() == 0  # nothing left to bill


def test_the_command_prints_a_summary_line_and_no_escape_codes_off_a_terminal(account, brand):
    add_charges(account, brand, 4)
    out, err = StringIO(), StringIO()

    call_command("invoice", "--period", "2026-03", stdout=out, stderr=err)

    assert json.loads(out.getvalue())["charges_billed"] == 4  # stdout stays one JSON object
    summary = err.getvalue()
    assert summary.startswith("Invoiced 2026-03: 1 accounts, 1 invoices created, 0 extended, 4 charges billed, "
                              "0 failed in ")
    assert summary.count("\n") == 1 and "\x1b" not in out.getvalue() + summary
