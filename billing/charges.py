"""Charges: billing listens to messaging's `message_accepted` and records one charge per message."""

from django.dispatch import receiver

from billing.models import Charge
from messaging.signals import message_accepted


@receiver(message_accepted, dispatch_uid="billing.charge_accepted_message")
def charge_accepted_message(sender, *, message, **kwargs) -> None:
    """Runs inside the transaction that recorded the acceptance: both commit, or neither."""
    # The message's first acceptance is announced once; the unique message column is the
    # backstop, so a duplicate insert is a no-op rather than a second charge.
    Charge.objects.bulk_create(
        [Charge(message=message, account_id=message.brand.account_id, brand_id=message.brand_id,
                channel=message.channel, unit_price=message.price, currency=message.currency or "EUR",
                created_at=message.sent_at)],
        ignore_conflicts=True,
    )
