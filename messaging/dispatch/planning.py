"""Planning: which messages a status change produces.

For each changed shipment: every channel of its brand that is on, whose toggle for the
destination country and the status is on, with a usable address. Opted-out recipients get a
`suppressed` row and nothing is sent. One Message per (shipment, status, channel), enforced by
the database: planning the same change twice creates nothing new.

Planning works in batches, grouped by account so that every query goes through the tenant
scoping: a handful of queries per account in the batch, not per shipment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from brands.models import Account, Brand
from messaging.dispatch.composing import TemplateCache, compose
from messaging.dispatch.optouts import opted_out_pairs
from messaging.models import Channel, Message, MessageState, StatusToggle
from messaging.optout_tokens import normalise_recipient
from messaging.rendering import recipient_for
from messaging.selectors import whatsapp_usable
from tracking.bulk import insert_rows
from tracking.models import Shipment


def usable_address(channel: str, address: str) -> bool:
    """E.164 that is a valid number for WhatsApp/SMS; a valid address for e-mail."""
    if not address:
        return False
    if channel == Channel.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            return False
        return True
    try:
        return address.startswith("+") and phonenumbers.is_valid_number(phonenumbers.parse(address, None))
    except phonenumbers.NumberParseException:
        return False


class _Addresses:
    """`usable_address`, worked out once per address of a batch (the SMS and the WhatsApp
    message of a parcel go to the same number)."""

    def __init__(self):
        self._known: dict[tuple[bool, str], bool] = {}

    def usable(self, channel: str, address: str) -> bool:
        key = (channel == Channel.EMAIL, address)
        if key not in self._known:
            self._known[key] = usable_address(channel, address)
        return self._known[key]


CHANNELS = tuple(Channel.values)
# What composing a message reads of a shipment: the rest of the row is not loaded.
SHIPMENT_FIELDS = ("brand_id", "carrier", "tracking_number", "order_number", "recipient_name", "recipient_phone",
                   "recipient_email", "language", "to_country", "expected_delivery", "status", "pickup_point",
                   "tracking_token", "carrier_name")
MESSAGE_FIELDS = ("shipment_id", "brand_id", "channel", "trigger_status", "language", "recipient", "subject", "body",
                  "html", "whatsapp_template", "whatsapp_parameters", "state", "error_code", "error_message",
                  "claimed_until", "attempts")


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


@dataclass
class Plan:
    """What planning produced: new messages the caller holds the sender's lease on (ready to send,
    their brand loaded), and ids of older queued messages nobody ever tried (their send task was
    lost) for a send task."""

    claimed: list[Message] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)


def plan_messages(changes: Iterable[tuple[int, str]]) -> list[int]:
    """Plan the messages of these (shipment id, status) changes. Returns ids of queued messages
    never tried (new or not), for `send_messages`."""
    return plan_and_claim(changes, claim_until=None).waiting


def plan_and_claim(changes: Iterable[tuple[int, str]], *, claim_until) -> Plan:
    """Plan, and insert the new queued messages already claimed until `claim_until` (None: not
    claimed, `attempts` 0), so that the planner can send them at once: no claim round trip, no
    reload. Only the planner that inserted a row holds it (a concurrent replay inserts nothing);
    if it dies, the lease runs out and the outbox sweeper sends them."""
    wanted = {int(shipment_id): status for shipment_id, status in changes}
    plan = Plan()
    if not wanted:
        return plan
    # The accounts of the batch first; then every other query is scoped to one of them.
    for account in Account.objects.filter(brands__shipments__id__in=wanted.keys()).distinct():
        _plan_for_account(account, wanted, plan, claim_until=claim_until)
    return plan


def _plan_for_account(account: Account, wanted: dict[int, str], plan: Plan, *, claim_until) -> None:
    shipments = [
        shipment
        for shipment in Shipment.objects.for_account(account).filter(pk__in=wanted.keys()).only(*SHIPMENT_FIELDS)
        # Stale: the parcel has moved past this status since; a message about it would mislead.
        if shipment.status == wanted[shipment.pk]
    ]
    if not shipments:
        return
    brand_ids = {shipment.brand_id for shipment in shipments}
    brands = Brand.objects.for_account(account).select_related("account").in_bulk(brand_ids)
    enabled = _enabled(account, brand_ids, {shipment.status for shipment in shipments})
    whatsapp_ok = any(channel == Channel.WHATSAPP for _, channel, _, _ in enabled) and whatsapp_usable(account=account)
    # A replayed change finds its messages planned already: skip them before composing anything.
    planned = set(
        Message.objects.for_account(account)
        .filter(shipment_id__in=[s.pk for s in shipments], trigger_status__in={s.status for s in shipments})
        .values_list("shipment_id", "trigger_status", "channel")
    )
    addresses = _Addresses()
    candidates = []
    for shipment in shipments:
        shipment.brand = brands[shipment.brand_id]
        country = shipment.to_country.code
        for channel in CHANNELS:
            if (shipment.brand_id, channel, country, shipment.status) not in enabled:
                continue
            if (shipment.pk, shipment.status, channel) in planned:
                continue
            if channel == Channel.WHATSAPP and not whatsapp_ok:
                continue
            address = recipient_for(shipment, channel)
            if addresses.usable(channel, address):
                candidates.append((shipment, channel, normalise_recipient(address)))
    blocked = opted_out_pairs(account=account, brand_ids=brand_ids, recipients={c[2] for c in candidates})
    templates = TemplateCache()
    rows, composed_messages = [], {}
    claimed = claim_until is not None
    for shipment, channel, address in candidates:
        composed = compose(brand=shipment.brand, shipment=shipment, channel=channel, status=shipment.status,
                           templates=templates)
        suppressed = (shipment.brand_id, address) in blocked
        message = Message(
            shipment_id=shipment.pk, brand=shipment.brand, channel=channel, trigger_status=shipment.status,
            language=composed.language, recipient=address, subject=composed.subject[:255], body=composed.body,
            html=composed.html, whatsapp_template=composed.whatsapp_template,
            whatsapp_parameters=composed.whatsapp_parameters,
            state=MessageState.SUPPRESSED if suppressed else MessageState.QUEUED,
            error_code="opted_out" if suppressed else "",
            error_message="The recipient unsubscribed from this brand." if suppressed else "",
            claimed_until=claim_until if claimed and not suppressed else None,
            attempts=1 if claimed and not suppressed else 0,
        )
        message.shipment_status = shipment.status
        composed_messages[(shipment.pk, shipment.status, channel)] = message
        rows.append(tuple(getattr(message, name) for name in MESSAGE_FIELDS))
    # The unique (shipment, status, channel) constraint turns a concurrent replay into a no-op:
    # only the rows this call really inserted come back, and only those are this planner's.
    inserted = insert_rows(Message, MESSAGE_FIELDS, rows, ignore_conflicts=True,
                           returning=("id", "shipment_id", "trigger_status", "channel"))
    for pk, shipment_id, status, channel in inserted:
        message = composed_messages[(shipment_id, status, channel)]
        message.pk = pk
        if claimed and message.state == MessageState.QUEUED:
            plan.claimed.append(message)
    # Queued and never tried: the new ones (when not claimed), and any whose first send task was lost.
    plan.waiting.extend(
        Message.objects.for_account(account)
        .filter(shipment_id__in=[s.pk for s in shipments], trigger_status__in={s.status for s in shipments})
        .filter(state=MessageState.QUEUED, attempts=0)
        .values_list("pk", flat=True)
    )
