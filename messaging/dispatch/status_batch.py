"""What a batch of status webhooks teaches besides the states (receipts.py moves those): Meta's
pricing of each message, and which user id a number shows as. Done once per batch of recorded
statuses (status_intake.py applies up to 500 at a time) in a constant number of queries:

1. one SELECT of the messages the statuses name (by provider id or our id echoed back), with the
   time of the pricing already stored;
2. one upsert of the pricing rows, keeping for each message the newest word (a late or replayed
   webhook never overwrites a newer one);
3. one upsert of the (number, user id) pairs: the number is the one we sent the message to, so a
   status that shows only the user id still teaches it (dispatch/identities.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from messaging.dispatch.identities import identities_learn
from messaging.dispatch.receipts import OUR_ID
from messaging.models import STATE_RANK, Message, MessagePricing
from messaging.webhooks import StatusUpdate

PRICING_FIELDS = ("billable", "pricing_model", "category", "pricing_type", "seen_at")


def statuses_record(updates: Sequence[StatusUpdate], *, channel: str) -> dict[str, int]:
    """Store the pricing and learn the identities of these status updates. Returns counts."""
    wanted = [u for u in updates if u.pricing is not None or u.recipient_user_id]
    if not wanted:
        return {"pricing": 0, "identities": 0}
    by_provider_id, by_our_id, stored = _messages(wanted, channel=channel)
    newest: dict[int, StatusUpdate] = {}
    pairs: list[tuple[str, str]] = []
    for update in wanted:
        message = by_provider_id.get(update.provider_message_id) or (
            by_our_id.get(int(update.callback_data)) if OUR_ID.fullmatch(update.callback_data) else None)
        if update.recipient_user_id:
            phone = update.recipient or (message[1] if message else "")
            pairs.append((phone, update.recipient_user_id))
        if message is None or update.pricing is None:
            continue
        pk = message[0]
        seen = stored.get(pk)
        if seen is not None and update.at < seen:
            continue  # older than what we have
        best = newest.get(pk)
        if best is None or _order(update) >= _order(best):
            newest[pk] = update
    rows = [MessagePricing(message_id=pk, billable=u.pricing.billable, pricing_model=u.pricing.pricing_model,
                           category=u.pricing.category, pricing_type=u.pricing.type, seen_at=u.at)
            for pk, u in newest.items()]
    if rows:
        MessagePricing.objects.bulk_create(rows, update_conflicts=True, unique_fields=["message"],
                                           update_fields=list(PRICING_FIELDS))
    learnt = identities_learn(pairs, at=max(u.at for u in wanted))
    return {"pricing": len(rows), "identities": learnt}


def _order(update: StatusUpdate) -> tuple:
    return (update.at, STATE_RANK.get(update.state, -1))


def _messages(updates: Sequence[StatusUpdate], *, channel: str):
    """({provider id: (pk, recipient)}, {pk: (pk, recipient)}, {pk: stored pricing time}): one query.
    Receipts act on single rows named by the provider, never for a tenant (see receipts._target)."""
    provider_ids = {u.provider_message_id for u in updates if u.provider_message_id}
    our_ids = {int(u.callback_data) for u in updates if OUR_ID.fullmatch(u.callback_data)}
    rows = Message.objects.filter(channel=channel).filter(
        Q(provider_message_id__in=provider_ids) | Q(pk__in=our_ids)
    ).values_list("pk", "provider_message_id", "recipient", "meta_pricing__seen_at")
    by_provider_id, by_our_id, stored = {}, {}, {}
    for pk, provider_message_id, recipient, seen_at in rows:
        if provider_message_id:
            by_provider_id[provider_message_id] = (pk, recipient)
        by_our_id[pk] = (pk, recipient)
        if seen_at is not None:
            stored[pk] = seen_at
    return by_provider_id, by_our_id, stored
