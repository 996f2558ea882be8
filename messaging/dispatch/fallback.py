"""Channel fallback (DESIGN "Send decisions" 8): with the brand's fallback on, a WhatsApp message
that does not reach the shopper is replaced by the next channel of the brand's order that can.

When. (a) The provider refuses the send for this recipient (`unreachable_codes` of the channel:
131026 not on WhatsApp, and the other per-recipient codes of PROVIDERS.md): `sending` asks
`replace_unreachable` instead of marking the message failed. (b) A `failed` status webhook with
such a code: `receipts` asks `replace_failed`. (c) Not `delivered` within the brand's
`after_minutes` of its acceptance: the beat task `expire_undelivered_whatsapp` runs
`expire_undelivered`, which reads only the rows due (a partial index of sent, undelivered,
not yet looked-at WhatsApp rows per brand) in the window after each brand's wait.

Which channel. The channels after WhatsApp in the brand's order, in that order: the first one the
account may use and for which the shopper has a usable address that has not opted out of the
brand. Its own switch and toggle for the status are not asked: the fallback is the merchant's
choice. If that channel already has a message for the same status entry (shipment, status,
occurrence) that reaches the shopper or still may, it is the one message: no second is made and
the WhatsApp message is left as it is (a message of that channel that went nowhere, failed or
suppressed, is passed over). No channel at all: a refused or failed message stays `failed`; an
undelivered one stays `sent` (it may still arrive) and is not looked at again.

What happens, in one transaction that holds the WhatsApp rows' locks and finds them still in
the state the caller expects (so a webhook, the sender and two sweepers never replace a message
twice; the unique (shipment, status, occurrence, channel) key is the backstop): the replacement
is inserted queued, composed with its channel's own copy, same status entry, `fallback_of` = the
WhatsApp message; the WhatsApp message becomes `expired`, and `messages_expired` lets billing
take its charge back. The replacement is sent through the normal send path after commit (send
tasks; the outbox sweeper if that task is lost). Quiet hours hold it as they hold any message
(rule 7): a replacement made in the shopper's quiet hours (an undelivered message looked at
after 21:00, a `failed` receipt arriving at night) is inserted `scheduled` until the window ends,
and `release_scheduled_messages` sends it then; an excepted status goes at once. `expired` is
final: receipts move no expired message (a late `delivered` changes nothing) and no acceptance
is recorded for one (recording, evidence), so nothing bills it again.

Billing: a credit at expiry, not "no charge until delivery". Charges are written when the
provider accepts a message (DESIGN: one charge per accepted template message), in that same
transaction, and the usage page, the spend cap and its forecast read them as they come. Charging
at delivery instead would change billing for every message of every brand to fix the few
replaced ones: a message whose receipt is lost would never be billed, the spend cap would lag
by the receipt delay, and a receipt arriving after the 1st would bill into a month already
invoiced. So the charge stays where it is, and an expired message's charge is withdrawn by the
transaction that expires it: deleted, and its amount taken off the day and month it was written
in (`billing.spend_tracking.record_charges`, negative), so that month's invoice never holds it.
Only a charge an invoice already bills (accepted in a month's last hours, expired after the
1st's invoicing) cannot leave its invoice (an issued invoice never changes): it is credited by
a negative charge in the current month, netted on the next invoice.

Time to live. Meta takes no time to live per send on template messages: `message_send_ttl_seconds`
(30 s to 12 h for utility templates) is a property of the template, set when it is registered,
and shared by every brand sending with that template, while `after_minutes` is each brand's
(1 to 1440). So every template is also registered in short-lived variants (1, 5, 30 and 120
minutes: messaging.whatsapp_templates.FALLBACK_TTL_MINUTES), and a brand with fallback on sends
with the longest one that ends before its fallback goes (`pc_<status>_v3_ttl<minutes>`, composed
by the WhatsApp channel): Meta gives up first, so a phone that comes online later does not show
the WhatsApp message next to its replacement. While a variant is not approved at Meta, the plain
template goes (whatsapp_gate) and a late delivery may then show both; the late receipt leaves the
WhatsApp message expired and bills nothing, so at most one is billed whatever happens.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from brands.models import Account
from messaging.channels import CHANNELS, channel_of
from messaging.dispatch.composing import TemplateCache, compose
from messaging.dispatch.optouts import opted_out_pairs
from messaging.dispatch.planning import SHIPMENT_FIELDS
from messaging.dispatch.policy_apply import quiet_hold
from messaging.dispatch.recording import Outcome
from messaging.models import Message, MessageState, SendingPolicy
from messaging.optout_tokens import normalise_recipient
from messaging.policy_rules.document import Policy
from messaging.policy_selectors import policies_for
from messaging.signals import messages_expired
from tracking.bulk import insert_rows
from tracking.models import Shipment

logger = logging.getLogger(__name__)

FALLING_BACK = tuple(code for code, channel in CHANNELS.items() if channel.falls_back)
# A message in one of these states reaches the shopper, or still may: another would be a second.
REACHING = frozenset({MessageState.QUEUED, MessageState.SCHEDULED, MessageState.SENT, MessageState.DELIVERED,
                      MessageState.READ})
# How long after a brand's wait an undelivered message is still replaced: a replacement much later
# would be old news (the shortest news window, out for delivery, is 12 h; and Meta's longest TTL for
# utility templates). Older rows are never read again, so a brand switching fallback on does not
# replace its messages of last month.
LOOK_WINDOW = timedelta(hours=12)
SWEEP_BATCH = 500
SWEEP_BATCHES = 10  # 5,000 messages a tick at most; the next tick takes the rest
FIELDS = ("shipment_id", "brand_id", "channel", "trigger_status", "occurrence", "fallback_of_id", "language",
          "recipient", "subject", "body", "html", "whatsapp_template", "whatsapp_parameters", "state", "not_before",
          "attempts")


def unreachable(channel: str, code: str) -> bool:
    """The provider's `code` says this recipient cannot be reached on `channel`: fall back."""
    kind = channel_of(channel)
    return kind.falls_back and str(code) in kind.unreachable_codes


# --- which replacement -------------------------------------------------------------------------


def fallbacks_for(messages: Iterable[Message], *, now: datetime | None = None) -> dict[int, Message]:
    """The replacement each of these messages (brand and account loaded) gets, unsaved, queued
    (or scheduled to the end of the shopper's quiet hours at `now`), by message id. A message left
    out gets none: fallback off, no other channel reaches the shopper, or a message of that
    channel already does. Reads only: a few queries per account."""
    now = now or timezone.now()
    messages = [message for message in messages if channel_of(message.channel).falls_back]
    policies = policies_for({message.brand_id for message in messages})
    by_account: dict[int, list[Message]] = defaultdict(list)
    for message in messages:
        if policies[message.brand_id].fallback.enabled:
            by_account[message.brand.account_id].append(message)
    found: dict[int, Message] = {}
    for rows in by_account.values():
        found |= _for_account(rows[0].brand.account, rows, policies, now=now)
    return found


def fallback_for(message: Message, *, now: datetime | None = None) -> Message | None:
    return fallbacks_for([message], now=now).get(message.pk)


def _for_account(account: Account, messages: list[Message], policies: dict[int, Policy], *,
                 now: datetime) -> dict[int, Message]:
    shipments = (Shipment.objects.for_account(account).filter(pk__in={m.shipment_id for m in messages})
                 .only(*SHIPMENT_FIELDS).in_bulk())
    existing = {
        (shipment_id, status, occurrence, channel): state
        for shipment_id, status, occurrence, channel, state in Message.objects.for_account(account)
        .filter(shipment_id__in=shipments.keys(), trigger_status__in={m.trigger_status for m in messages})
        .values_list("shipment_id", "trigger_status", "occurrence", "channel", "state")
    }
    allowed: dict[str, bool] = {}
    options = {
        message.pk: list(_options(message, shipments[message.shipment_id], policies[message.brand_id], existing,
                                  lambda code: allowed.setdefault(code, channel_of(code).allowed_for(account))))
        for message in messages if message.shipment_id in shipments
    }
    blocked = opted_out_pairs(account=account, brand_ids={m.brand_id for m in messages},
                              recipients={address for found in options.values() for _, address in found if address})
    templates = TemplateCache()
    found = {}
    for message in messages:
        for channel, address in options.get(message.pk, ()):
            if address is None:  # that channel's message of this entry reaches the shopper already
                break
            if (message.brand_id, address) not in blocked:
                shipment = shipments[message.shipment_id]
                hold = quiet_hold(policies[message.brand_id], message.trigger_status, shipment, now=now)
                found[message.pk] = _replacement(message, shipment, channel, address, templates, not_before=hold)
                break
    return found


def _options(message: Message, shipment: Shipment, policy: Policy, existing: dict, allowed) -> Iterator[tuple]:
    """(channel, address) to try after `message`'s channel, in the brand's order; (channel, None)
    last when that channel's message of the entry reaches the shopper already."""
    for code in policy.fallback.after(message.channel):
        channel = channel_of(code)
        address = channel.address_of(shipment)
        if not channel.usable_address(address) or not allowed(code):
            continue
        state = existing.get((shipment.pk, message.trigger_status, message.occurrence, code))
        if state in REACHING:
            yield code, None
            return
        if state is None:
            yield code, normalise_recipient(address)


def _replacement(message: Message, shipment: Shipment, channel: str, address: str, templates, *,
                 not_before: datetime | None) -> Message:
    shipment.brand = message.brand
    composed = compose(brand=message.brand, shipment=shipment, channel=channel, status=message.trigger_status,
                       templates=templates)
    return Message(
        shipment_id=shipment.pk, brand=message.brand, channel=channel, trigger_status=message.trigger_status,
        occurrence=message.occurrence, fallback_of_id=message.pk, language=composed.language, recipient=address,
        subject=composed.subject[:255], body=composed.body, html=composed.html,
        whatsapp_template=composed.whatsapp_template, whatsapp_parameters=composed.whatsapp_parameters,
        state=MessageState.SCHEDULED if not_before else MessageState.QUEUED, not_before=not_before, attempts=0,
    )


# --- replacing ---------------------------------------------------------------------------------


def replace(message_ids: Iterable[int], *, from_states: Iterable[str], code: str, text: str,
            failed_at: datetime | None = None, now: datetime | None = None) -> dict[int, int]:
    """Replace those of these messages that are still in `from_states` and get a fallback (one
    transaction, their rows locked: see the module docstring). Returns {replaced id: new id}."""
    with transaction.atomic():
        messages = list(
            Message.objects.select_for_update(of=("self",)).select_related("brand__account")
            .filter(pk__in=list(message_ids), state__in=list(from_states), channel__in=FALLING_BACK)
            .notifications().order_by("pk")
        )
        return _replace_locked(messages, code=code, text=text, failed_at=failed_at, now=now)


def _replace_locked(messages: list[Message], *, code: str, text: str, failed_at: datetime | None,
                    now: datetime | None = None) -> dict[int, int]:
    """The caller's transaction holds these rows' locks. Replacements held by quiet hours are
    left to `release_scheduled_messages`; the others are sent after commit."""
    replacements = fallbacks_for(messages, now=now)
    if not replacements:
        return {}
    rows = [tuple(getattr(message, name) for name in FIELDS) for message in replacements.values()]
    # A message of that channel inserted since we looked (a conflict): it is the one; no expiry.
    inserted = insert_rows(Message, FIELDS, rows, ignore_conflicts=True, returning=("id", "fallback_of"))
    done = {original: new for new, original in inserted}
    if not done:
        return {}
    for original, new in done.items():
        logger.info("message %s replaced by %s message %s", original, replacements[original].channel, new)
    Message.objects.filter(pk__in=list(done)).update(
        state=MessageState.EXPIRED, error_code=str(code)[:32], error_message=text[:500], claimed_until=None,
        price=None, currency="", failed_at=failed_at,
    )
    messages_expired.send(sender=Message, message_ids=sorted(done))
    new_ids = sorted(new for original, new in done.items() if replacements[original].not_before is None)
    if new_ids:
        transaction.on_commit(lambda: _enqueue(new_ids))
    return done


def _enqueue(message_ids: list[int]) -> None:
    from messaging.tasks import enqueue_sends  # the tasks import the dispatch modules

    enqueue_sends(message_ids)


def replace_unreachable(message: Message, *, code: str, text: str, now: datetime) -> Outcome | None:
    """The provider refused to send `message` (still queued, held by the sender) to this
    recipient: its fallback instead. None when it gets none (it fails as usual)."""
    if not unreachable(message.channel, code):
        return None
    done = replace([message.pk], from_states=[MessageState.QUEUED], code=code, text=text, failed_at=now, now=now)
    return Outcome(state=MessageState.EXPIRED, channel=message.channel) if done else None


def replace_failed(message_ids: Iterable[int], *, channel: str, code: str, text: str, at: datetime) -> bool:
    """A status webhook says these messages (one, by its ids; read only for a code that may call
    for a fallback) failed for this recipient: replaced when a fallback applies. False: the
    caller marks them failed as usual."""
    if not unreachable(channel, code):
        return False
    return bool(replace(message_ids, from_states=[MessageState.QUEUED, MessageState.SCHEDULED, MessageState.SENT],
                        code=code, text=text, failed_at=at))


# --- the sweep of undelivered messages ---------------------------------------------------------


def expire_undelivered(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """Replace the WhatsApp messages sent and not delivered within their brand's `after_minutes`
    (up to LOOK_WINDOW later). Rows are taken with SKIP LOCKED, a batch per transaction, so
    concurrent sweeps share the work. A message without a fallback is marked looked-at
    (`claimed_until`, which a sent row never has otherwise) and leaves the sweep's index.
    Returns the number of messages replaced."""
    now = now or timezone.now()
    waits: dict[int, list[int]] = defaultdict(list)  # after_minutes -> brands; one query per wait
    for brand_id, after in SendingPolicy.objects.filter(fallback_enabled=True).values_list(
            "brand_id", "fallback_after_minutes"):
        waits[after].append(brand_id)
    replaced = 0
    for after, brand_ids in sorted(waits.items()):
        text = f"Not delivered within {after} minute{'s' if after != 1 else ''}."
        for _ in range(SWEEP_BATCHES):
            taken, done = _sweep_batch(undelivered(brand_ids=brand_ids, after=after, now=now), text=text, now=now,
                                       batch=batch)
            replaced += done
            if taken < batch:
                break
    return replaced


def undelivered(*, brand_ids: list[int], after: int, now: datetime) -> QuerySet[Message]:
    """The sweep's rows: these brands' WhatsApp messages sent `after` minutes ago or more (up to
    LOOK_WINDOW more), not delivered and not looked at yet, the longest waiting first. Read through
    the partial index of such rows per brand: the cost grows with the rows due."""
    # System work over every brand with fallback on: rows of our own outbox, not a request's.
    return Message.objects.filter(
        brand_id__in=brand_ids, channel__in=FALLING_BACK, state=MessageState.SENT, claimed_until__isnull=True,
        sent_at__lte=now - timedelta(minutes=after), sent_at__gt=now - timedelta(minutes=after) - LOOK_WINDOW,
    ).notifications().order_by("sent_at")


def _sweep_batch(rows: QuerySet[Message], *, text: str, now: datetime, batch: int) -> tuple[int, int]:
    with transaction.atomic():
        messages = list(rows.select_for_update(of=("self",), skip_locked=True).select_related("brand__account")[:batch])
        done = _replace_locked(messages, code="", text=text, failed_at=None, now=now)
        Message.objects.filter(pk__in=[m.pk for m in messages if m.pk not in done]).update(claimed_until=now)
    return len(messages), len(done)
