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

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from brands.models import Account
from messaging.dispatch.composing import TemplateCache, compose
from messaging.dispatch.optouts import opted_out_pairs
from messaging.models import Channel, Message, MessageState, StatusToggle
from messaging.optout_tokens import normalise_recipient
from messaging.rendering import recipient_for
from messaging.selectors import whatsapp_usable
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


def plan_messages(changes: Iterable[tuple[int, str]]) -> list[int]:
    """Plan the messages of these (shipment id, status) changes. Returns ids of queued messages."""
    wanted = {int(shipment_id): status for shipment_id, status in changes}
    if not wanted:
        return []
    # The accounts of the batch first; then every other query is scoped to one of them.
    accounts = Account.objects.filter(brands__shipments__id__in=wanted.keys()).distinct()
    queued: list[int] = []
    for account in accounts:
        queued.extend(_plan_for_account(account, wanted))
    return queued


def _plan_for_account(account: Account, wanted: dict[int, str]) -> list[int]:
    shipments = [
        shipment
        for shipment in Shipment.objects.for_account(account).filter(pk__in=wanted.keys()).select_related("brand")
        # Stale: the parcel has moved past this status since; a message about it would mislead.
        if shipment.status == wanted[shipment.pk]
    ]
    if not shipments:
        return []
    brand_ids = {shipment.brand_id for shipment in shipments}
    enabled = _enabled(account, brand_ids, {shipment.status for shipment in shipments})
    whatsapp_ok = any(channel == Channel.WHATSAPP for _, channel, _, _ in enabled) and whatsapp_usable(account=account)
    # A replayed change finds its messages planned already: skip them before composing anything.
    planned = set(
        Message.objects.for_account(account)
        .filter(shipment_id__in=[s.pk for s in shipments], trigger_status__in={s.status for s in shipments})
        .values_list("shipment_id", "trigger_status", "channel")
    )
    candidates = []
    for shipment in shipments:
        for channel in Channel.values:
            if (shipment.brand_id, channel, shipment.to_country.code, shipment.status) not in enabled:
                continue
            if (shipment.pk, shipment.status, channel) in planned:
                continue
            if channel == Channel.WHATSAPP and not whatsapp_ok:
                continue
            address = recipient_for(shipment, channel)
            if usable_address(channel, address):
                candidates.append((shipment, channel, normalise_recipient(address)))
    blocked = opted_out_pairs(account=account, brand_ids=brand_ids, recipients={c[2] for c in candidates})
    templates = TemplateCache()
    rows = []
    for shipment, channel, address in candidates:
        composed = compose(brand=shipment.brand, shipment=shipment, channel=channel, status=shipment.status,
                           templates=templates)
        suppressed = (shipment.brand_id, address) in blocked
        rows.append(
            Message(
                shipment=shipment, brand_id=shipment.brand_id, channel=channel, trigger_status=shipment.status,
                language=composed.language, recipient=address, subject=composed.subject[:255], body=composed.body,
                html=composed.html, whatsapp_template=composed.whatsapp_template,
                whatsapp_parameters=composed.whatsapp_parameters,
                state=MessageState.SUPPRESSED if suppressed else MessageState.QUEUED,
                error_code="opted_out" if suppressed else "",
                error_message="The recipient unsubscribed from this brand." if suppressed else "",
            )
        )
    if rows:
        with transaction.atomic():
            # The unique (shipment, status, channel) constraint turns a concurrent replay into a no-op.
            Message.objects.bulk_create(rows, ignore_conflicts=True)
    # Queued and never tried: the new ones, and any whose first send task was lost.
    return list(
        Message.objects.for_account(account)
        .filter(shipment_id__in=[s.pk for s in shipments], trigger_status__in={s.status for s in shipments})
        .filter(state=MessageState.QUEUED, attempts=0)
        .values_list("pk", flat=True)
    )
