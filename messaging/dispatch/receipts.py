"""Delivery receipts: provider status callbacks move a message forward, never back.

Callbacks arrive late, twice and out of order (Meta retries for days): a conditional UPDATE per
callback only moves a message to a state of higher rank (read > delivered > sent), so a
duplicate or an older receipt changes nothing. Proof of delivery also beats an earlier failure.
A callback about a message whose acceptance we have not recorded (our answer was lost in a
crash or a timeout) is the proof the provider took it: it records the acceptance (evidence.py).
A failure saying the recipient cannot be reached on the channel hands the message to the brand's
fallback (fallback.py); an `expired` message (replaced) is final: no receipt moves it or bills it.

Webhooks reach this through status_intake.py: receipts_bulk.py applies the forward moves of a
batch in one UPDATE by the same rules and calls `apply_receipt` for every other status.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from messaging.channels import CHANNELS
from messaging.dispatch.evidence import accept_from_webhook
from messaging.dispatch.fallback import replace_failed
from messaging.dispatch.optouts import opt_out
from messaging.models import STATE_RANK, Message, MessageState, OptOut
from messaging.webhook_events import message_rows_publish
from messaging.webhooks import StatusUpdate
from webhooks_out.events import anyone_listening
from webhooks_out.models import EventType

OPT_OUT_ERROR_CODES = {"131050", "21610"}


def _target(update: StatusUpdate, channel: str):
    # Receipts identify messages by the provider's id or our own id echoed back (WhatsApp's
    # biz_opaque_callback_data, Twilio's `m`); they act on one row, never on a tenant's request.
    rows = Message.objects.filter(channel=channel)
    match = Q(provider_message_id=update.provider_message_id) if update.provider_message_id else Q(pk__in=[])
    if OUR_ID.fullmatch(update.callback_data):
        match |= Q(pk=int(update.callback_data))
    return rows.filter(match)


OUR_ID = re.compile(r"[0-9]{1,18}")  # a Message id as we sent it (ASCII digits, fits a bigint)


# A provider's clock may be off (or a payload forged before the signature was checked elsewhere):
# a receipt time in the future, or older than this, is replaced by our own clock. Order comes from
# the state ranks, never from these times.
MAX_RECEIPT_AGE = timedelta(days=7)


def receipt_time(at, now):
    if at is None or at > now or at < now - MAX_RECEIPT_AGE:
        return now
    return at


def apply_receipt(update: StatusUpdate, *, channel: str, provider: str = "") -> bool:
    """Apply one status callback from `provider` (the name its sends are recorded under; empty:
    the callback cannot prove an acceptance). True when it moved the message."""
    at = receipt_time(update.at, timezone.now())
    rows = _target(update, channel)
    if update.state == MessageState.FAILED:
        if replace_failed(rows.values_list("pk", flat=True), channel=channel, code=update.error_code,
                          text=update.error_title or "The provider reported a failure.", at=at):
            return True  # not on WhatsApp...: replaced by the brand's fallback channel
        code = (update.error_code or "failed")[:32]
        failed = {"state": MessageState.FAILED, "failed_at": at, "error_code": code, "claimed_until": None,
                  "error_message": (update.error_title or "The provider reported a failure.")[:500]}
        moved = _move(rows.filter(state__in=[MessageState.QUEUED, MessageState.SCHEDULED, MessageState.SENT]),
                      MessageState.FAILED, changes=failed, error_code=code)
        if moved and update.error_code in OPT_OUT_ERROR_CODES:
            for message in rows.select_related("brand__account"):
                opt_out(brand=message.brand, recipient=message.recipient, source=OptOut.Source.PROVIDER)
        return bool(moved)
    accepted = bool(provider) and accept_from_webhook(rows, update, provider=provider, now=at)
    rank = STATE_RANK.get(update.state)
    if not rank:  # queued or unknown: no progress beyond the acceptance
        return accepted
    lower = [state for state, r in STATE_RANK.items() if r < rank]
    if update.state in (MessageState.DELIVERED, MessageState.READ):
        lower.append(MessageState.FAILED)
    changes = {"state": update.state, "sent_at": Coalesce("sent_at", Value(at)), "claimed_until": None}
    if rank >= STATE_RANK[MessageState.DELIVERED]:
        changes["delivered_at"] = Coalesce("delivered_at", Value(at))
    if update.state == MessageState.READ:
        changes["read_at"] = Coalesce("read_at", Value(at))
    if update.provider_message_id:
        rows.filter(provider_message_id="").update(provider_message_id=update.provider_message_id[:255])
    return bool(_move(rows.filter(state__in=lower), update.state, changes=changes)) or accepted


def _move(rows, state: str, *, changes: dict, error_code: str = "") -> int:
    """One conditional UPDATE; when some account listens to message.state_changed, the rows it
    moves are read (locked) first and announced in the same transaction."""
    if not anyone_listening(EventType.MESSAGE_STATE_CHANGED):
        return rows.update(**changes)
    with transaction.atomic():
        moved = list(rows.select_for_update().values("pk", "shipment_id", "brand_id", "channel", "trigger_status"))
        if moved:
            Message.objects.filter(pk__in=[row["pk"] for row in moved]).update(**changes)
            message_rows_publish(moved, state, error_code)
        return len(moved)


def simulate_receipt(message_id: int, state: str) -> bool:
    """The sandbox provider's receipts, so the demo shows the whole life of a message."""
    message = Message.objects.filter(pk=message_id, provider="sandbox").first()
    if message is None:
        return False
    update = StatusUpdate(
        provider_message_id=message.provider_message_id, state=state, at=timezone.now(), recipient=message.recipient
    )
    return apply_receipt(update, channel=message.channel)


SANDBOX_RECEIPTS = {code: channel.sandbox_receipts for code, channel in CHANNELS.items()}
