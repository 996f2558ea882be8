"""The brand's sending policy and the account's spend cap, applied while planning (DESIGN "Send
decisions" rules 7 and 9; API.md "Sending policy" and spend cap). planning.py asks, per account
batch (`PolicyDecisions`):

- `announces`: a brand that announces "ready to ship" at the first scan (`first_scan`) gets no
  message for a `ready_to_ship` entry. None is planned, as for a status toggled off: the merchant
  chose not to announce the label, and the first scan is announced by its own status (in transit).
  A suppressed row would say something was held back that nobody asked for.
- `cap_verdict`: `frequency_cap` once the shipment's cap is used (policy_rules.frequency_cap: it
  counts entries announced, not messages per channel; actionable statuses are never dropped).
- `hold_until`: when a message may go. A passing status waits `consolidation_seconds` after its
  event, so that a newer status can supersede it; then quiet hours in the shopper's zone
  (tracking.shopper_zones) push it to the window's end. Held messages are inserted `scheduled`
  with `not_before`; the beat task `release_scheduled_messages` sends them when due (the partial
  index of scheduled rows), and sending supersedes a passing status the parcel has left by then.
- `spend_decision` / `apply_spend_cap`: billable (WhatsApp) messages at the account's monthly cap.
  "fallback": the message is suppressed (`spend_cap`) and the entry goes by the next channel of the
  brand's fallback order that reaches the shopper (`fallback_channel`), its toggle on or not; no
  new row when another channel already carries the entry (one message per entry reaches the
  shopper), and suppressed only (visible, never silent) when no channel can. "pause": `scheduled`
  (`spend_cap`) until the next month opens, when the cap starts again, or until the cap is raised
  above the month's spend or removed: billing's `spend_cap_set` then makes them due at once
  (`release_spend_cap_holds`) and `release_scheduled_messages` sends them.
- `supersede_held`: with a policy that holds messages, held passing statuses the parcel has left
  are superseded at planning, before the cap counts them, not only when released; and so are
  those of an earlier entry into a status the parcel entered again (a second delivery round),
  which sending cannot tell from the newer entry.

Cost: one query for the batch's policies, one update (only when a brand of the batch holds
messages), one for the shipments' announced entries (only when one has a cap), one spend
decision (only with billable messages to send): never one per message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, Subquery

from brands.models import Account
from messaging import news
from messaging.channels import CHANNELS
from messaging.models import Message, MessageState, ReadyToShip
from messaging.optout_tokens import normalise_recipient
from messaging.policy import SpendDecision, get_policy
from messaging.policy_rules.document import Fallback
from messaging.policy_rules.frequency_cap import cap_suppresses
from messaging.policy_rules.quiet_hours import next_send_time
from messaging.policy_selectors import policies_for
from tracking.models import Shipment
from tracking.shopper_zones import shopper_zone
from tracking.statuses import PASSING, Status

# Messages that announce their entry to the shopper (sent or still to go); suppressed, failed and
# replaced ones do not count towards the cap.
ANNOUNCING_STATES = (MessageState.QUEUED, MessageState.SCHEDULED, MessageState.SENT, MessageState.DELIVERED,
                     MessageState.READ)


@dataclass
class Candidate:
    """A message planning is about to write: `reason` why it will not go (suppressed) or, with
    `not_before`, why it waits; `fallback_for` the key of the message it replaces."""

    change: object  # planning.Change: shipment_id, status, occurrence, occurred_at
    shipment: Shipment
    channel: str
    address: str
    reason: str = ""
    not_before: datetime | None = None
    fallback_for: tuple | None = None

    @property
    def key(self) -> tuple[int, str, int, str]:
        return (self.shipment.pk, self.change.status, self.change.occurrence, self.channel)

    @property
    def entry(self) -> tuple[int, str, int]:
        return self.key[:3]

    @property
    def goes(self) -> bool:
        """Sent now or later (queued or scheduled), not suppressed."""
        return not self.reason or self.not_before is not None

    @property
    def state(self) -> str:
        if self.not_before is not None:
            return MessageState.SCHEDULED
        return MessageState.SUPPRESSED if self.reason else MessageState.QUEUED

    def suppress(self, reason: str) -> None:
        self.reason, self.not_before = reason, None


def fallback_channel(fallback: Fallback, replaced: str, *, reachable: Collection[str]) -> str | None:
    """The channel that takes over from `replaced`: the first of `fallback.after(replaced)` among
    `reachable` (a usable address, not opted out, no message for the entry yet). None when none can."""
    return next((channel for channel in fallback.after(replaced) if channel in reachable), None)


def next_month(now: datetime) -> datetime:
    """The first moment of the month after `now`'s (UTC), when a monthly cap starts again."""
    first = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + timedelta(days=32)).replace(day=1)


class PolicyDecisions:
    """The sending policies of one account's planning batch and what they decide."""

    def __init__(self, account: Account, shipments: dict[int, Shipment], changes: Iterable, *, now: datetime):
        self.account, self.now = account, now
        self.policies = policies_for({shipment.brand_id for shipment in shipments.values()})
        if any(policy.consolidation_seconds or policy.quiet_hours.enabled for policy in self.policies.values()):
            supersede_held(account, shipments, changes)  # before counting: a held status that gave way is no news
        capped = [pk for pk, shipment in shipments.items()
                  if self.policies[shipment.brand_id].max_messages_per_shipment is not None]
        self._announced = _announced_entries(account, capped) if capped else {}
        self._zones: dict[int, object] = {}

    def announces(self, change, shipment: Shipment) -> bool:
        return not (change.status == Status.READY_TO_SHIP
                    and self.policies[shipment.brand_id].ready_to_ship == ReadyToShip.FIRST_SCAN)

    def cap_verdict(self, change, shipment: Shipment) -> str:
        """'frequency_cap', or '' (the entry then counts as announced for the next ones)."""
        cap = self.policies[shipment.brand_id].max_messages_per_shipment
        if cap is None:
            return ""
        announced = self._announced.setdefault(shipment.pk, set())
        entry = (change.status, change.occurrence)
        if entry in announced:  # counted already (a channel switched on since): not a new entry
            return ""
        if cap_suppresses(cap=cap, announced=[status for status, _ in announced], status=change.status):
            return "frequency_cap"
        announced.add(entry)
        return ""

    def hold_until(self, change, shipment: Shipment, *, earliest: datetime | None = None) -> datetime | None:
        """When a message of this entry may go, if later than now: consolidation, then quiet hours."""
        policy = self.policies[shipment.brand_id]
        start = max(self.now, earliest or self.now)
        if policy.consolidation_seconds and news.gives_way(change.status):
            start = max(start, (change.occurred_at or self.now) + timedelta(seconds=policy.consolidation_seconds))
        if policy.quiet_hours.enabled:
            start = next_send_time(start, policy, change.status, self._zone(shipment)) or start
        return start if start > self.now else None

    def spend_decision(self, candidates: Iterable[Candidate]) -> SpendDecision:
        """The account's spend decision, asked once, and only with billable messages to send."""
        if not any(c.goes and CHANNELS[c.channel].billable for c in candidates):
            return "send"
        return get_policy().whatsapp_spend_decision(self.account, self.now)

    def fallback_recipients(self, candidates: Iterable[Candidate], decision: SpendDecision) -> set[str]:
        """Addresses a spend-cap fallback may use, for the batch's opt-out check."""
        if decision != "fallback":
            return set()
        return {normalise_recipient(CHANNELS[channel].address_of(c.shipment))
                for c in candidates if c.goes and CHANNELS[c.channel].billable
                for channel in self.policies[c.shipment.brand_id].fallback.after(c.channel)
                if not CHANNELS[channel].billable}

    def apply_spend_cap(self, decision: SpendDecision, candidates: list[Candidate], *, blocked: Collection,
                        planned: Collection, usable: Callable[[str, str], bool]) -> list[Candidate]:
        """Billable candidates at the cap: paused, or suppressed and replaced. Returns the
        fallback candidates to add (their `fallback_for` is the replaced message's key)."""
        if decision == "send":
            return []
        by_entry: dict[tuple, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            by_entry[candidate.entry].append(candidate)
        added = []
        for candidate in [c for c in candidates if c.goes and CHANNELS[c.channel].billable]:
            if decision == "pause":
                candidate.reason = "spend_cap"
                candidate.not_before = self.hold_until(candidate.change, candidate.shipment,
                                                       earliest=next_month(self.now))
                continue
            hold = candidate.not_before
            candidate.suppress("spend_cap")
            if any(other.goes for other in by_entry[candidate.entry]):
                continue  # the shopper hears of this entry on another channel already
            replacement = self._fallback(candidate, by_entry[candidate.entry], blocked, planned, usable)
            if replacement is not None:
                replacement.not_before = hold
                by_entry[candidate.entry].append(replacement)
                added.append(replacement)
        return added

    def _fallback(self, replaced: Candidate, siblings, blocked, planned, usable) -> Candidate | None:
        shipment = replaced.shipment
        taken = {c.channel for c in siblings}
        addresses = {}
        for code, channel in CHANNELS.items():
            address = channel.address_of(shipment)
            if (channel.billable or code in taken or (*replaced.entry, code) in planned
                    or not usable(code, address) or (shipment.brand_id, normalise_recipient(address)) in blocked
                    or not channel.allowed_for(self.account)):
                continue
            addresses[code] = normalise_recipient(address)
        code = fallback_channel(self.policies[shipment.brand_id].fallback, replaced.channel,
                                reachable=addresses.keys())
        if code is None:
            return None
        return Candidate(replaced.change, shipment, code, addresses[code], fallback_for=replaced.key)

    def _zone(self, shipment: Shipment):
        if shipment.pk not in self._zones:
            self._zones[shipment.pk] = shipment_zone(shipment)
        return self._zones[shipment.pk]


def shipment_zone(shipment: Shipment):
    """The shopper's time zone for quiet hours (tracking.shopper_zones), None when unknown."""
    return shopper_zone(country=shipment.to_country.code, postal_code=shipment.to_postal_code,
                        phone=shipment.recipient_phone)


def quiet_hold(policy, status: str, shipment: Shipment, *, now: datetime) -> datetime | None:
    """When a message of `status` sent `now` may go under the brand's quiet hours alone (no
    consolidation: for a message that replaces one sent already), if later than now."""
    if not policy.quiet_hours.enabled:
        return None
    return next_send_time(now, policy, status, shipment_zone(shipment))


def supersede_held(account: Account, shipments: dict[int, Shipment], changes: Iterable) -> int:
    """Held (`scheduled`) messages of passing statuses these parcels have left become `superseded`
    now, as sending would find them when due, so they no longer count towards the cap: those of
    another status than the parcel's, and those of an earlier entry into a status the parcel
    entered again (a second delivery round: sending cannot tell the two entries apart). One
    conditional UPDATE: a message a sender claimed meanwhile is no longer `scheduled` and is left."""
    by_status: dict[str, list[int]] = defaultdict(list)
    for pk, shipment in shipments.items():
        by_status[shipment.status].append(pk)
    left = Q()
    for status, ids in by_status.items():
        left |= Q(shipment_id__in=ids) & ~Q(trigger_status=status)
    for change in changes:
        if change.occurrence > 1:
            left |= Q(shipment_id=change.shipment_id, trigger_status=change.status, occurrence__lt=change.occurrence)
    return (
        Message.objects.for_account(account)
        .filter(left, state=MessageState.SCHEDULED, trigger_status__in=PASSING).notifications()
        .update(state=MessageState.SUPPRESSED, error_code="superseded", error_message=news.REASONS["superseded"])
    )


def release_spend_cap_holds(account: Account, *, now: datetime, limit: int | None = None) -> int:
    """The account's messages held by the spend cap ("pause": `scheduled` with `spend_cap`) become
    due `now`, the oldest first, at most `limit` of them; the beat task `release_scheduled_messages`
    sends them. One conditional UPDATE scoped to the account: a row no longer `scheduled` for the
    cap (claimed, superseded, its brand deleted) is left as it is. Returns how many were released.

    The caller decides that the cap has room: sending does not ask for the spend decision again,
    so a released message goes by WhatsApp and is charged. Nor does it ask quiet hours again: a
    message released in the shopper's night goes at once (its hold was worked out for the next
    month's start)."""
    held = Message.objects.for_account(account).filter(state=MessageState.SCHEDULED, error_code="spend_cap")
    if limit is not None:
        if limit <= 0:
            return 0
        held = held.filter(pk__in=Subquery(held.order_by("not_before", "pk").values("pk")[:limit]))
    return held.update(not_before=now, error_code="", error_message="")


def _announced_entries(account: Account, shipment_ids: list[int]) -> dict[int, set[tuple[str, int]]]:
    """Shipment id -> its entries (status, occurrence) with a message sent or to go: one query."""
    announced: dict[int, set[tuple[str, int]]] = defaultdict(set)
    rows = (
        Message.objects.for_account(account)
        .filter(shipment_id__in=shipment_ids, state__in=ANNOUNCING_STATES).notifications()
        .values_list("shipment_id", "trigger_status", "occurrence").order_by()
    )
    for shipment_id, status, occurrence in rows:
        announced[shipment_id].add((status, occurrence))
    return announced
