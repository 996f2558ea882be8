"""The merchant's switches, read again when a message goes (DESIGN invariant 3: nothing is sent
outside the toggles).

Planning reads the brand's channel switch and its toggles per destination country and status
(planning._enabled) and plans nothing for one that is off. A message that waits (held by
consolidation or quiet hours, paced, retried after a transient failure) may go minutes or hours
later: if the merchant has switched the channel, the country or the status off (or the account may
no longer use the channel: plan, WhatsApp consent) in between, it is `suppressed` with
`switched_off` when it would go, and the panel says why.

A fallback (`fallback_of` set) is not asked about its own channel: the fallback is the merchant's
choice, even where that channel's toggle for the status is off (DESIGN "Send decisions" 8,
fallback.py). It stands in for the message it replaces, so it is asked about that message's channel
instead: a WhatsApp message of a status switched off would not go, and neither does its stand-in.
Switching the brand's fallback off is not asked: it decides whether a message that fails from now
on is replaced, not whether a replacement made already reaches the shopper (the replaced message is
`expired` or `spend_cap` already: suppressing its stand-in as well would leave the status entry
unannounced, which rule 9 forbids for the spend cap's fallbacks, and those follow the account's
`on_cap`, not the brand's fallback switch).

Cost: one query per account of the batch (its toggles that are on, for the batch's brands,
channels, countries and statuses), one for the channels of the messages the batch's fallbacks
replace (only when there are some), and the channel's own `allowed_for` once per account and
channel. Never one per message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from messaging.channels import channel_of
from messaging.models import Message, MessageKind, StatusToggle

REASON = "switched_off"
TEXT = "The brand switched this channel, destination country or status off before the message went."


def switched_off(messages: Iterable[Message]) -> list[Message]:
    """The notification messages among these (brand and account loaded, `shipment_country` the
    shipment's destination country) whose channel, country or status is now off for their brand."""
    messages = [m for m in messages if m.kind == MessageKind.NOTIFICATION]
    if not messages:
        return []
    replaced = _replaced_channels({m.fallback_of_id for m in messages if m.fallback_of_id})
    by_account: dict[int, list[tuple[Message, tuple]]] = defaultdict(list)
    for message in messages:
        # A stand-in answers for the message it replaces (that message's channel).
        channel = replaced.get(message.fallback_of_id) if message.fallback_of_id else message.channel
        if channel is None:  # the replaced message is gone (erased): nothing left to answer for
            continue
        key = (message.brand_id, channel, str(message.shipment_country), message.trigger_status)
        by_account[message.brand.account_id].append((message, key))
    off = []
    for rows in by_account.values():
        account = rows[0][0].brand.account
        keys = {key for _, key in rows}
        on = _switched_on(account, keys)
        allowed = {code: channel_of(code).allowed_for(account) for code in {key[1] for key in keys}}
        off.extend(message for message, key in rows if key not in on or not allowed[key[1]])
    return off


def _switched_on(account, keys: set[tuple]) -> set[tuple[int, str, str, str]]:
    """Which of these (brand id, channel, country, status) are on: one query, scoped to the account."""
    rows = (
        StatusToggle.objects.for_account(account)
        .filter(
            channel_country__setting__brand_id__in={key[0] for key in keys},
            channel_country__setting__channel__in={key[1] for key in keys},
            channel_country__setting__enabled=True,
            channel_country__country__in={key[2] for key in keys},
            status__in={key[3] for key in keys},
            enabled=True,
        )
        .values_list("channel_country__setting__brand_id", "channel_country__setting__channel",
                     "channel_country__country", "status")
    )
    return {(brand_id, channel, str(country), status) for brand_id, channel, country, status in rows}


def _replaced_channels(message_ids: set[int]) -> dict[int, str]:
    """{id: channel} of the messages these fallbacks replace: one query, only when there are some."""
    if not message_ids:
        return {}
    # System work: the ids come from our own outbox rows (their `fallback_of`), not from a request.
    return dict(Message.objects.filter(pk__in=message_ids).values_list("pk", "channel"))
