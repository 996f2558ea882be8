"""Planning: which messages a status entry produces, and which of them are news.

For each entry into a status (tracking's status entries: a shipment may enter a status twice,
each entry its own `occurrence`): every channel of the brand that is on, whose toggle for the
destination country and the status is on, with a usable address. One Message per (shipment,
status, occurrence, channel), enforced by the database: planning an entry twice creates nothing.

What is news (DESIGN "Send decisions", messaging.news): an entry whose event is older than its
status's news window gets `suppressed` rows (`stale_event`, never charged); a passing status the
parcel has already left gets `superseded` ones; actionable statuses are always planned, even when
the parcel has moved on since (a failed delivery stays news after the next scan). Opted-out
recipients get a `suppressed` row (`opted_out`). Suppressed rows are written too, so the merchant
sees why nothing went.

The brand's sending policy and the account's spend cap (policy_apply.py) decide the rest: no
"ready to ship" message for a brand that announces it at the first scan, `frequency_cap` over the
cap per shipment, `scheduled` with `not_before` for a message held by consolidation or quiet hours
(the beat task `release_scheduled_messages` sends it when due), and at the WhatsApp spend cap the
WhatsApp row `spend_cap` (suppressed, with a fallback row on the next channel, or paused).

Planning works in batches, grouped by account so that every query goes through the tenant
scoping: a handful of queries per account in the batch, not per shipment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from django.utils import timezone

from brands.models import Account, Brand
from messaging import news
from messaging.channels import CHANNELS, channel_of
from messaging.dispatch.composing import TemplateCache, compose
from messaging.dispatch.optouts import opted_out_pairs
from messaging.dispatch.policy_apply import Candidate, PolicyDecisions
from messaging.models import Message, MessageState, StatusToggle
from messaging.optout_tokens import normalise_recipient
from tracking.bulk import insert_rows
from tracking.models import Shipment

# What composing a message reads of a shipment: the rest of the row is not loaded.
SHIPMENT_FIELDS = ("brand_id", "carrier", "tracking_number", "order_number", "recipient_name", "recipient_phone",
                   "recipient_email", "language", "to_country", "to_postal_code", "expected_delivery", "status",
                   "status_at", "last_scan_at", "pickup_point", "tracking_token", "carrier_name", "proof_of_delivery_url",
                   "cash_on_delivery_amount", "cash_on_delivery_currency")
MESSAGE_FIELDS = ("shipment_id", "brand_id", "channel", "trigger_status", "occurrence", "language", "recipient",
                  "subject", "body", "html", "whatsapp_template", "whatsapp_parameters", "whatsapp_language",
                  "whatsapp_header_image", "unsubscribe_url", "state", "error_code", "error_message", "claimed_until", "attempts", "not_before",
                  "fallback_of_id")


@dataclass(frozen=True)
class Change:
    """One entry into a status, as planning needs it. `occurred_at` None: news now (not stale,
    and superseded only if the shipment is no longer in the status)."""

    shipment_id: int
    status: str
    occurrence: int = 1
    occurred_at: datetime | None = None


@dataclass
class Plan:
    """What planning produced: new messages the caller holds the sender's lease on (ready to send,
    their brand loaded), and ids of older queued messages nobody ever tried (their send task was
    lost) for a send task."""

    claimed: list[Message] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)


def as_change(item) -> Change:
    """A Change from a Change, a tracking status entry, or a (shipment id, status) pair."""
    if isinstance(item, Change):
        return item
    if hasattr(item, "occurrence"):
        return Change(item.shipment_id, item.status, item.occurrence, item.occurred_at)
    shipment_id, status = item
    return Change(int(shipment_id), status)


def plan_messages(changes: Iterable) -> list[int]:
    """Plan the messages of these changes. Returns ids of queued messages never tried (new or
    not), for `send_messages`."""
    return plan_and_claim(changes, claim_until=None).waiting


def plan_and_claim(changes: Iterable, *, claim_until, now: datetime | None = None) -> Plan:
    """Plan, and insert the new queued messages already claimed until `claim_until` (None: not
    claimed, `attempts` 0), so that the planner can send them at once: no claim round trip, no
    reload. Only the planner that inserted a row holds it (a concurrent replay inserts nothing);
    if it dies, the lease runs out and the outbox sweeper sends them."""
    now = now or timezone.now()
    # In the order the events happened: actionable messages of one parcel go out in order.
    wanted = sorted({as_change(item) for item in changes},
                    key=lambda c: (c.occurred_at or now, c.shipment_id, c.occurrence))
    plan = Plan()
    if not wanted:
        return plan
    shipment_ids = {change.shipment_id for change in wanted}
    # The accounts of the batch first; then every other query is scoped to one of them.
    for account in Account.objects.filter(brands__shipments__id__in=shipment_ids).distinct():
        _plan_for_account(account, wanted, plan, claim_until=claim_until, now=now)
    return plan


def _enabled(account: Account, brand_ids: set[int], statuses: set[str]) -> set[tuple[int, str, str, str]]:
    """(brand id, channel, country, status) combinations switched on: one query."""
    rows = (
        StatusToggle.objects.for_account(account)
        .filter(
            channel_country__setting__brand_id__in=brand_ids,
            channel_country__setting__enabled=True,
            status__in=statuses,
            enabled=True,
        )
        .values_list("channel_country__setting__brand_id", "channel_country__setting__channel",
                     "channel_country__country", "status")
    )
    return {(brand_id, channel, str(country), status) for brand_id, channel, country, status in rows}


def news_verdict(change: Change, shipment: Shipment, *, now: datetime) -> str:
    """'' when the entry is news, else why its messages are suppressed."""
    if change.occurred_at is not None and news.is_stale(change.status, change.occurred_at, now):
        return "stale_event"
    if news.gives_way(change.status):
        moved_on = (shipment.status_at is not None and shipment.status_at > change.occurred_at
                    if change.occurred_at is not None else shipment.status != change.status)
        if moved_on:
            return "superseded"
    return ""


class _Addresses:
    """Address checks worked out once per address of a batch (the SMS and the WhatsApp message of
    a parcel go to the same number)."""

    def __init__(self):
        self._known: dict[tuple[str, str], bool] = {}

    def usable(self, channel: str, address: str) -> bool:
        kind = channel_of(channel)
        key = (kind.address_kind(), address)
        if key not in self._known:
            self._known[key] = kind.usable_address(address)
        return self._known[key]


def _plan_for_account(account: Account, wanted: list[Change], plan: Plan, *, claim_until, now: datetime) -> None:
    ids = {change.shipment_id for change in wanted}
    shipments = Shipment.objects.for_account(account).filter(pk__in=ids).only(*SHIPMENT_FIELDS).in_bulk()
    changes = [change for change in wanted if change.shipment_id in shipments]
    if not changes:
        return
    brand_ids = {shipment.brand_id for shipment in shipments.values()}
    brands = Brand.objects.for_account(account).select_related("account").in_bulk(brand_ids)
    statuses = {change.status for change in changes}
    enabled = _enabled(account, brand_ids, statuses)
    allowed = {code: channel.allowed_for(account) for code, channel in CHANNELS.items()
               if any(key[1] == code for key in enabled)}
    # A replayed entry finds its messages planned already: skip them before composing anything.
    planned = set(
        Message.objects.for_account(account)
        .filter(shipment_id__in=shipments.keys(), trigger_status__in=statuses)
        .values_list("shipment_id", "trigger_status", "occurrence", "channel")
    )
    policies = PolicyDecisions(account, shipments, changes, now=now)
    addresses = _Addresses()
    candidates = []
    for change in changes:
        shipment = shipments[change.shipment_id]
        shipment.brand = brands[shipment.brand_id]
        if not policies.announces(change, shipment):
            continue
        found, country = [], shipment.to_country.code
        for code, channel in CHANNELS.items():
            if (shipment.brand_id, code, country, change.status) not in enabled:
                continue
            if not allowed.get(code) or (shipment.pk, change.status, change.occurrence, code) in planned:
                continue
            address = channel.address_of(shipment)
            if addresses.usable(code, address):
                found.append((code, normalise_recipient(address)))
        if not found:
            continue
        reason = news_verdict(change, shipment, now=now) or policies.cap_verdict(change, shipment)
        hold = None if reason else policies.hold_until(change, shipment)
        candidates.extend(Candidate(change, shipment, code, address, reason, hold) for code, address in found)
    spend = policies.spend_decision(candidates)
    blocked = opted_out_pairs(account=account, brand_ids=brand_ids,
                              recipients={c.address for c in candidates} | policies.fallback_recipients(candidates, spend))
    for candidate in candidates:
        if candidate.goes and (candidate.shipment.brand_id, candidate.address) in blocked:
            candidate.suppress("opted_out")
    fallbacks = policies.apply_spend_cap(spend, candidates, blocked=blocked, planned=planned, usable=addresses.usable)
    composed = _compose(candidates + fallbacks, claim_until=claim_until, templates=TemplateCache(policies.policies))
    # The unique (shipment, status, occurrence, channel) constraint turns a concurrent replay into a
    # no-op: only the rows this call really inserted come back, and only those are this planner's.
    inserted = _insert([composed[c.key] for c in candidates])
    # A fallback names the message it replaces, so it is written once that one has its id (and not
    # at all when a concurrent planner wrote that one: the fallback is that planner's too).
    replacing = []
    for candidate in fallbacks:
        if candidate.fallback_for in inserted:
            composed[candidate.key].fallback_of_id = inserted[candidate.fallback_for].pk
            replacing.append(composed[candidate.key])
    inserted |= _insert(replacing)
    # Claimed ones in the order of the events (composed keeps the planning order).
    plan.claimed.extend(m for key, m in composed.items()
                        if key in inserted and claim_until is not None and m.state == MessageState.QUEUED)
    # Queued and never tried: the new ones (when not claimed), and any whose first send task was lost.
    plan.waiting.extend(
        Message.objects.for_account(account)
        .filter(shipment_id__in=shipments.keys(), trigger_status__in=statuses)
        .filter(state=MessageState.QUEUED, attempts=0)
        .values_list("pk", flat=True)
    )


def _insert(messages: list[Message]) -> dict[tuple, Message]:
    """Insert these messages in one statement; the ones inserted, by key, with their ids."""
    if not messages:
        return {}
    by_key = {(m.shipment_id, m.trigger_status, m.occurrence, m.channel): m for m in messages}
    rows = [_row(message) for message in messages]
    inserted = insert_rows(Message, MESSAGE_FIELDS, rows, ignore_conflicts=True,
                           returning=("id", "shipment_id", "trigger_status", "occurrence", "channel"))
    found = {}
    for pk, *key in inserted:
        message = by_key[tuple(key)]
        message.pk = pk
        found[tuple(key)] = message
    return found


# A message's values in MESSAGE_FIELDS order, as one C call.
_row = attrgetter(*MESSAGE_FIELDS)


class _NewMessages:
    """New Message instances from their fields' values, built the way Django builds a row it
    loads (every concrete field positionally: a third of the keyword path's cost, which looks
    every field up and asks every absent one for its default), with the defaults worked out once."""

    def __init__(self):
        fields = Message._meta.concrete_fields
        self.index = {field.attname: position for position, field in enumerate(fields)}
        self.defaults = [field.get_default() for field in fields]
        self.json = [self.index[field.attname] for field in fields if field.get_internal_type() == "JSONField"]

    def new(self, **values) -> Message:
        row = self.defaults.copy()
        for position in self.json:  # a mutable default of its own per message
            row[position] = Message._meta.concrete_fields[position].get_default()
        index = self.index
        for attname, value in values.items():
            row[index[attname]] = value
        return Message(*row)


def _compose(candidates: list[Candidate], *, claim_until, templates: TemplateCache) -> dict[tuple, Message]:
    """The messages of these candidates, by key, in planning order; new queued ones claimed until
    `claim_until` when it is given."""
    new = _NewMessages().new
    messages = {}
    for candidate in candidates:
        change, shipment, channel = candidate.change, candidate.shipment, candidate.channel
        composed = compose(brand=shipment.brand, shipment=shipment, channel=channel, status=change.status,
                           templates=templates)
        state = candidate.state
        claimed = claim_until is not None and state == MessageState.QUEUED
        message = new(
            shipment_id=shipment.pk, brand_id=shipment.brand_id, channel=channel, trigger_status=change.status,
            occurrence=change.occurrence, language=composed.language, recipient=candidate.address,
            subject=composed.subject[:255], body=composed.body, html=composed.html,
            whatsapp_template=composed.whatsapp_template, whatsapp_parameters=composed.whatsapp_parameters,
            whatsapp_language=composed.whatsapp_language, unsubscribe_url=composed.unsubscribe_url,
            whatsapp_header_image=composed.whatsapp_header_image,
            state=state, error_code=candidate.reason, error_message=news.REASONS.get(candidate.reason, ""),
            not_before=candidate.not_before, claimed_until=claim_until if claimed else None,
            attempts=1 if claimed else 0,
        )
        message.brand = shipment.brand
        message.shipment_status = shipment.status
        message.shipment_country = shipment.to_country.code
        messages[candidate.key] = message
    return messages
