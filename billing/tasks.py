"""Celery tasks of billing: the monthly invoicing job (beat, 1st of the month) and its batches, and
the spend alert e-mails."""

from celery import shared_task
from django.utils import timezone

from billing import invoicing, spend_emails
from billing.periods import Period


class InvoicingIncomplete(Exception):
    """Some accounts failed; the others are invoiced. Running the job again finishes them."""


@shared_task(acks_late=True, ignore_result=True)
def invoice_previous_month() -> int:
    """Beat: fan the previous month out in batches of accounts, one task each. Returns the batch count."""
    period = Period.previous(timezone.now().date())
    batches = list(invoicing.chunked(invoicing.accounts_to_invoice(period), invoicing.BATCH_SIZE))
    for account_ids in batches:
        invoice_account_batch.delay(str(period), account_ids)
    return len(batches)


@shared_task(acks_late=True, ignore_result=True)
def invoice_account_batch(period: str, account_ids: list[int]) -> dict:
    """Ids only; redelivery is harmless (the job is idempotent per account)."""
    parsed = Period.parse(period)
    parsed.ensure_ended(timezone.now())
    report = invoicing.invoice_accounts(period=parsed, account_ids=list(account_ids))
    if report.failed:
        raise InvoicingIncomplete(f"{period}: {len(report.failed)} account(s) failed: {report.failed}")
    return report.as_dict()


@shared_task(acks_late=True, ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def send_spend_alert(alert_id: int) -> bool:
    """E-mail one spend alert to the account's owners (enqueued on commit by billing.spend_tracking)."""
    return spend_emails.spend_alert_send(alert_id=alert_id)
