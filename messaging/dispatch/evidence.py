"""Evidence that a provider took a message, from its status webhooks, and how long to wait for it.

An attempt is ambiguous when its answer never reached us although the request may have reached
the provider: the worker died with the call in flight (its lease runs out), or the answer timed
out or the connection broke after the request was written (`ProviderError.ambiguous`). Neither
provider takes an idempotency key, so what tells us is the provider's status webhooks: each
carries our message id (WhatsApp: `biz_opaque_callback_data`; Twilio: the `m` query parameter
of the StatusCallback URL), so the first one records the acceptance (price and charge included)
even when our own record was lost. The message then leaves `queued` and no sender claims it again.

An ambiguous attempt is therefore tried again only after MESSAGE_EVIDENCE_WINDOW_SECONDS
(a few minutes: providers post "sent" within seconds): the lease of a claim covers the send and
this window (`sending.lease`), and an ambiguous failure is retried no sooner than it.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from messaging.channels import channel_of
from messaging.dispatch.recording import NEVER_ACCEPTED, Accepted, record_acceptances
from messaging.models import Message, MessageState
from messaging.providers.base import ProviderResult
from messaging.webhooks import StatusUpdate


def window_seconds() -> float:
    return float(getattr(settings, "MESSAGE_EVIDENCE_WINDOW_SECONDS", 180))


def accept_from_webhook(rows: QuerySet[Message], update: StatusUpdate, *, provider: str, now: datetime) -> bool:
    """A status webhook from `provider` about these rows (one message): if no acceptance is
    recorded yet, this is the proof the provider took it: record it, as the sender would have.
    True when it did. A failure report is not an acceptance (the caller marks the message failed)."""
    if update.state == MessageState.FAILED or not update.provider_message_id:
        return False
    # The rule of `record_acceptances`: no acceptance recorded yet, neither suppressed nor expired.
    message = (rows.filter(provider="").exclude(state__in=NEVER_ACCEPTED)
               .select_related("brand__account").first())
    if message is None:
        return False
    price = channel_of(message.channel).unit_price(message.brand.account, now)
    result = ProviderResult(provider_message_id=update.provider_message_id, provider=provider)
    return bool(record_acceptances([Accepted(message, result, price)], now=now))
