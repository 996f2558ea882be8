"""Charges: billing listens to messaging's `messages_accepted` and records one charge per message,
and adds the charges it wrote to the account's running spend (billing.spend_tracking)."""

from django.dispatch import receiver

from billing import spend_tracking
from billing.models import Charge
from messaging.signals import messages_accepted
from tracking.bulk import insert_rows

CHARGE_FIELDS = ("message_id", "account_id", "brand_id", "channel", "unit_price", "currency", "created_at")


@receiver(messages_accepted, dispatch_uid="billing.charge_accepted_messages")
def charge_accepted_messages(sender, *, messages, **kwargs) -> None:
    """Runs inside the transaction that recorded the acceptances: all commit, or none."""
    # A message's first acceptance is announced once; the unique message column is the
    # backstop, so a duplicate insert is a no-op rather than a second charge, and only the
    # charges really written count towards the spend.
    rows = {
        message.pk: (message.pk, message.brand.account_id, message.brand_id, message.channel, message.price,
                     message.currency or "EUR", message.sent_at)
        for message in messages
    }
    written = insert_rows(Charge, CHARGE_FIELDS, list(rows.values()), ignore_conflicts=True, returning=("message_id",))
    spend_tracking.record_charges(
        (row[1], row[6], row[4], row[5]) for row in (rows[message_id] for (message_id,) in written)
    )
