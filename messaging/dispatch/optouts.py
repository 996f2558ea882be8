"""Opt-outs: who asked a brand to stop, and the recipients a batch must skip."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from brands.models import Brand
from messaging.models import OptOut
from messaging.optout_tokens import normalise_recipient
from tracking.models import Shipment

# How many of the brand's latest shipments to the shopper are read for their other addresses.
_SHIPMENTS_READ = 200


def opt_out(*, brand: Brand, recipient: str, source: str, user_id: str = "") -> bool:
    """Opt the recipient out of the brand (with WhatsApp's user id of the shopper, when known).
    True when this created the opt-out (idempotent)."""
    optout, created = OptOut.objects.for_account(brand.account).get_or_create(
        brand=brand, recipient=normalise_recipient(recipient), defaults={"source": source, "user_id": user_id[:64]}
    )
    if not created and user_id and not optout.user_id:
        OptOut.objects.filter(pk=optout.pk, user_id="").update(user_id=user_id[:64])
    return created


def _shipments_to(*, brand: Brand, address: str):
    """The brand's shipments that went to this (normalised) address, newest first."""
    match = Q(recipient_email__iexact=address) if "@" in address else Q(recipient_phone=address)
    return Shipment.objects.for_account(brand.account).filter(match, brand=brand).order_by("-created_at", "-id")


def shopper_language(*, brand: Brand, recipient: str) -> str | None:
    """The language of the brand's latest shipment to this recipient; None when there is none."""
    address = normalise_recipient(recipient)
    return _shipments_to(brand=brand, address=address).values_list("language", flat=True).first() if address else None


def shopper_addresses(*, brand: Brand, recipient: str) -> list[str]:
    """The address itself, then every other address (e-mail and phone) on the brand's shipments
    that went to it: what "all channels of this brand" stops. Normalised, without duplicates."""
    address = normalise_recipient(recipient)
    if not address:
        return []
    rows = _shipments_to(brand=brand, address=address).values_list(
        "recipient_email", "recipient_phone")[:_SHIPMENTS_READ]
    found = [address]
    for email, phone in rows:
        for other in (normalise_recipient(email), normalise_recipient(phone)):
            if other and other not in found:
                found.append(other)
    return found


def opt_out_shopper(*, brand: Brand, recipient: str, source: str) -> list[str]:
    """Opt out the recipient and every other address of the same shopper at the brand (see
    shopper_addresses), in one transaction. The addresses opted out, the recipient first."""
    addresses = shopper_addresses(brand=brand, recipient=recipient)
    with transaction.atomic():
        for address in addresses:
            opt_out(brand=brand, recipient=address, source=source)
    return addresses


def opt_in(*, brand: Brand, recipient: str) -> bool:
    """Undo an opt-out (START). True when there was one."""
    deleted, _ = OptOut.objects.for_account(brand.account).filter(
        brand=brand, recipient=normalise_recipient(recipient)
    ).delete()
    return bool(deleted)


def opted_out_among(*, brand: Brand, recipients: list[str]) -> set[str]:
    """Which of these (normalised) recipients have opted out of the brand: one query."""
    return set(OptOut.objects.for_account(brand.account).filter(
        brand=brand, recipient__in=[normalise_recipient(r) for r in recipients]).values_list("recipient", flat=True))


def is_opted_out(*, brand: Brand, recipient: str) -> bool:
    return OptOut.objects.for_account(brand.account).filter(
        brand=brand, recipient=normalise_recipient(recipient)
    ).exists()


def opted_out_pairs(*, account, brand_ids, recipients) -> set[tuple[int, str]]:
    """(brand id, recipient) pairs among these that are opted out: one query for a whole batch."""
    if not recipients:
        return set()
    return set(
        OptOut.objects.for_account(account)
        .filter(brand_id__in=brand_ids, recipient__in={normalise_recipient(r) for r in recipients})
        .values_list("brand_id", "recipient")
    )
