"""Charges: billing listens to messaging's `messages_accepted` and records one charge per message,
and adds the charges it wrote to the account's running spend (billing.spend_tracking).

A message replaced by its fallback is never billed (`messages_expired`, from
messaging.dispatch.fallback, whose docstring says why a credit and not "no charge until
delivery"): its charge is deleted and taken off the spend of the day and month it was written in,
so that month's invoice never holds it. One an invoice bills already (an issued invoice never
changes) is credited instead: a charge of the opposite amount, now, netted on the next invoice.
"""

from django.db import connection
from django.dispatch import receiver
from django.utils import timezone

from billing import spend_tracking
from billing.models import Charge
from brands.models import Brand
from messaging.models import Message
from messaging.signals import messages_accepted, messages_expired
from tracking.bulk import insert_rows

CHARGE_FIELDS = ("message_id", "account_id", "brand_id", "channel", "unit_price", "currency", "created_at")


@receiver(messages_accepted, dispatch_uid="billing.charge_accepted_messages")
def charge_accepted_messages(sender, *, messages, **kwargs) -> None:
    """Runs inside the transaction that recorded the acceptances: all commit, or none."""
    # A message's first acceptance is announced once; the unique message column is the
    # backstop, so a duplicate insert is a no-op rather than a second charge, and only the
    # charges really written count towards the spend.
    if connection.vendor == "postgresql":
        _charge_in_one_statement(sorted({message.pk for message in messages}))
        return
    rows = {
        message.pk: (message.pk, message.brand.account_id, message.brand_id, message.channel, message.price,
                     message.currency or "EUR", message.sent_at)
        for message in messages
    }
    written = insert_rows(Charge, CHARGE_FIELDS, list(rows.values()), ignore_conflicts=True, returning=("message_id",))
    spend_tracking.record_charges(
        (row[1], row[6], row[4], row[5]) for row in (rows[message_id] for (message_id,) in written)
    )


def _charge_in_one_statement(message_ids: list[int]) -> None:
    """PostgreSQL: the charges copied from the accepted messages' rows (their price snapshot,
    currency and `sent_at`, just written by the same transaction) and added to the running totals,
    in one statement: one round trip per wave, and no value quoted by the client on the way (a
    wave's charges cost about a millisecond of worker CPU as rows in Python). System work on the
    rows the caller's transaction has just accepted, by id, like recording's own UPDATE."""
    charge, message, brand = Charge._meta, Message._meta, Brand._meta
    quote = connection.ops.quote_name
    charges_sql = (
        f"INSERT INTO {quote(charge.db_table)} (message_id, account_id, brand_id, channel, unit_price, currency, "
        f"created_at) SELECT m.id, b.account_id, m.brand_id, m.channel, m.price, COALESCE(NULLIF(m.currency, ''), "
        f"'EUR'), m.sent_at FROM {quote(message.db_table)} m JOIN {quote(brand.db_table)} b ON b.id = m.brand_id "
        f"WHERE m.id = ANY(%s) AND m.price IS NOT NULL ORDER BY m.id "
        f"ON CONFLICT DO NOTHING RETURNING account_id, created_at, unit_price, currency"
    )
    spend_tracking.record_charges_written_by(charges_sql, [message_ids])


@receiver(messages_expired, dispatch_uid="billing.withdraw_expired_charges")
def withdraw_expired_charges(sender, *, message_ids, **kwargs) -> None:
    """Runs inside the transaction that expires the messages. The charge rows are locked first:
    the invoicing job links charges under the same locks, so a charge is either withdrawn before
    an invoice takes it or found billed and credited, never both nor neither."""
    charges = list(
        Charge.objects.select_for_update().filter(message_id__in=message_ids).order_by("pk")
        .values_list("pk", "account_id", "brand_id", "channel", "unit_price", "currency", "created_at",
                     "invoice_line_id")
    )
    if not charges:
        return
    now = timezone.now()
    unbilled = [charge for charge in charges if charge[7] is None]
    billed = [charge for charge in charges if charge[7] is not None]
    Charge.objects.filter(pk__in=[charge[0] for charge in unbilled]).delete()
    insert_rows(Charge, CHARGE_FIELDS, [(None, account_id, brand_id, channel, -price, currency, now)
                                        for _, account_id, brand_id, channel, price, currency, _, _ in billed])
    spend_tracking.record_charges(
        [(account_id, at, -price, currency) for _, account_id, _, _, price, currency, at, _ in unbilled]
        + [(account_id, now, -price, currency) for _, account_id, _, _, price, currency, _, _ in billed]
    )
