"""Opt-outs: who asked a brand to stop, and the recipients a batch must skip."""

from __future__ import annotations

from brands.models import Brand
from messaging.models import OptOut
from messaging.optout_tokens import normalise_recipient


def opt_out(*, brand: Brand, recipient: str, source: str, user_id: str = "") -> bool:
    """Opt the recipient out of the brand (with WhatsApp's user id of the shopper, when known).
    True when this created the opt-out (idempotent)."""
    optout, created = OptOut.objects.for_account(brand.account).get_or_create(
        brand=brand, recipient=normalise_recipient(recipient), defaults={"source": source, "user_id": user_id[:64]}
    )
    if not created and user_id and not optout.user_id:
        OptOut.objects.filter(pk=optout.pk, user_id="").update(user_id=user_id[:64])
    return created


def opt_in(*, brand: Brand, recipient: str) -> bool:
    """Undo an opt-out (START). True when there was one."""
    deleted, _ = OptOut.objects.for_account(brand.account).filter(
        brand=brand, recipient=normalise_recipient(recipient)
    ).delete()
    return bool(deleted)


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
