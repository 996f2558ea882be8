"""A brand's own WhatsApp number (`WhatsAppSender`): connect, disconnect, and what sending asks.

- `whatsapp_sender_connect(...)`: the credentials are checked with Meta first (a cheap GET of the
  number, providers/whatsapp_numbers.py), then stored with the token encrypted; nothing is stored
  when Meta refuses them or cannot be asked. After commit, `tasks.sync_sender_templates` runs
  `after_connect(sender)`: THE SEAM where the templates of the number's business account are
  synced (the lead wires it to `sync_templates(business_account_id=..., access_token=...)`).
- `whatsapp_sender_disconnect(...)`: the brand's messages go from the platform's number again.
- `providers_for_brands(brand_ids)`: for a sending batch, one query; each sender's provider is
  built (and its token decrypted) once per process, not once per message.
- `sending_number(brand)`: the number shoppers see (`<<whatsappnumber>>`, the panel).
- `sender_for_number(phone_number_id)`: which brand a webhook's `metadata.phone_number_id` is.
"""

from __future__ import annotations

import logging
import re
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from brands.audit import Actor, audit_record
from brands.models import Brand
from core import field_encryption
from core.errors import RuleViolation, Violations
from messaging.models import WhatsAppSender
from messaging.providers.base import ProviderError
from messaging.providers.whatsapp import WhatsAppCloudProvider
from messaging.providers.whatsapp_numbers import PhoneNumberInfo, PhoneNumberLookupError, lookup_phone_number

logger = logging.getLogger(__name__)

META_ID = re.compile(r"^[0-9]{5,32}$")
TOKEN = re.compile(r"^[A-Za-z0-9_\-.|=+/]{20,2048}$")


class SenderUnavailable(Exception):
    """The number cannot be connected right now, through no fault of the merchant's input:
    nothing was saved. `code`: meta_unavailable (Meta could not be asked) or
    encryption_not_configured (FIELD_ENCRYPTION_KEYS unset in production)."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


# --- selectors ------------------------------------------------------------------------------------


def whatsapp_sender_get(*, brand: Brand) -> WhatsAppSender | None:
    """The brand's own number (the brand was already looked up through the account)."""
    try:
        return brand.whatsapp_sender  # cached on the brand, a miss too
    except ObjectDoesNotExist:
        return None


def sending_number(brand: Brand) -> str:
    """The WhatsApp number the brand's shoppers see (E.164): its own number's once connected
    (`Brand.whatsapp_number` is set to it then, so tags and the tracking page need no query)."""
    return brand.whatsapp_number or ""


def e164(display_phone_number: str) -> str:
    """Meta's display form ("+31 6 1234 5678", "15550783881") as E.164; '' when it has no digits."""
    digits = "".join(ch for ch in display_phone_number if ch.isdigit())
    return f"+{digits}" if 7 <= len(digits) <= 15 else ""


def sender_for_number(phone_number_id: str) -> WhatsAppSender | None:
    """The brand's sender a webhook's number belongs to (None: the platform's number, or unknown).
    A webhook is not a tenant's request: the number id, signed by Meta, is what names the brand."""
    if not phone_number_id:
        return None
    return WhatsAppSender.objects.select_related("brand__account").filter(phone_number_id=phone_number_id).first()


# --- services -------------------------------------------------------------------------------------


def whatsapp_sender_connect(*, brand: Brand, phone_number_id: str, business_account_id: str, access_token: str,
                            actor: Actor | None = None) -> WhatsAppSender:
    """Check the credentials with Meta and store them (replacing the brand's previous number).

    RuleViolation naming the field Meta (or the shape check) refused; SenderUnavailable when Meta
    could not be asked (or no encryption key is configured). Either way nothing is saved."""
    phone_number_id, business_account_id = phone_number_id.strip(), business_account_id.strip()
    access_token = access_token.strip()
    _check_shapes(phone_number_id=phone_number_id, business_account_id=business_account_id,
                  access_token=access_token)
    if not field_encryption.keys():
        raise SenderUnavailable("Own WhatsApp numbers cannot be stored yet: the platform's encryption key "
                                "(FIELD_ENCRYPTION_KEYS) is not configured. Ask Parcelcast support.",
                                code="encryption_not_configured")
    try:
        info = lookup_phone_number(phone_number_id=phone_number_id, access_token=access_token,
                                   base_url=settings.WHATSAPP_API_BASE_URL)
    except PhoneNumberLookupError as exc:
        if exc.unavailable:
            raise SenderUnavailable(exc.message, code="meta_unavailable") from exc
        raise RuleViolation(exc.field, exc.message, code="whatsapp_credentials_refused") from exc
    encrypted = field_encryption.encrypt(access_token)  # before the transaction: no key, nothing half-done
    try:
        with transaction.atomic():
            sender = _store(brand=brand, info=info, business_account_id=business_account_id, encrypted=encrypted)
            audit_record(account=brand.account, action="whatsapp_sender.connect", actor=actor,
                         object_type="brand", object_id=brand.pk,
                         after={"phone_number_id": phone_number_id, "business_account_id": business_account_id,
                                "display_phone_number": info.display_phone_number})
            transaction.on_commit(lambda: _enqueue_after_connect(sender.pk))
    except IntegrityError:
        raise RuleViolation("phone_number_id", "This number is already connected to another brand.",
                            code="whatsapp_number_in_use") from None
    brand.refresh_from_db(fields=["whatsapp_number"])
    brand.whatsapp_sender = sender
    return sender


def whatsapp_sender_disconnect(*, brand: Brand, actor: Actor | None = None) -> bool:
    """Back to the platform's number. False when the brand had no number of its own."""
    with transaction.atomic():
        sender = WhatsAppSender.objects.select_for_update().filter(brand=brand).first()
        if sender is None:
            return False
        sender.delete()
        number = e164(sender.display_phone_number)
        if number:  # the brand shows the number it had before, unless the merchant has changed it since
            Brand.objects.filter(pk=brand.pk, whatsapp_number=number).update(
                whatsapp_number=sender.previous_whatsapp_number)
        audit_record(account=brand.account, action="whatsapp_sender.disconnect", actor=actor,
                     object_type="brand", object_id=brand.pk,
                     before={"phone_number_id": sender.phone_number_id,
                             "display_phone_number": sender.display_phone_number})
    brand.refresh_from_db(fields=["whatsapp_number"])
    brand._state.fields_cache.pop("whatsapp_sender", None)  # the brand object forgets its sender too
    return True


def after_connect(sender: WhatsAppSender) -> None:
    """What follows a connected number: the platform templates registered and recorded in the
    number's business account (its messages are gated on them, messaging.whatsapp_gate)."""
    from messaging.services.whatsapp_template_sync import sync_templates

    report = sync_templates(business_account_id=sender.business_account_id, access_token=access_token(sender))
    logger.info("WhatsApp sender %s (business account %s): templates synced: %s", sender.phone_number_id,
                sender.business_account_id, report)


def access_token(sender: WhatsAppSender) -> str:
    """The plain token, for a call to Meta on the sender's behalf (never for an answer)."""
    return field_encryption.decrypt(sender.access_token_encrypted)


def reencrypt_all() -> int:
    """Re-encrypt every stored token with the first key (after a key was put first); returns how
    many rows changed. Row by row: the table has one row per connected brand."""
    changed = 0
    for pk, encrypted in WhatsAppSender.objects.values_list("pk", "access_token_encrypted").iterator():
        rotated = field_encryption.rotate(encrypted)
        changed += WhatsAppSender.objects.filter(pk=pk, access_token_encrypted=encrypted).update(
            access_token_encrypted=rotated)
    return changed


def _check_shapes(*, phone_number_id: str, business_account_id: str, access_token: str) -> None:
    found = Violations()
    for field, value, pattern, text in (
        ("phone_number_id", phone_number_id, META_ID, "Give the phone number id from WhatsApp Manager (digits)."),
        ("business_account_id", business_account_id, META_ID,
         "Give the WhatsApp business account id from WhatsApp Manager (digits)."),
        ("access_token", access_token, TOKEN, "Give a permanent (system user) access token from Meta."),
    ):
        with found.check():
            if not pattern.match(value):
                raise RuleViolation(field, text, code="invalid")
    with found.check():
        if phone_number_id and phone_number_id == settings.WHATSAPP_PHONE_NUMBER_ID:
            raise RuleViolation("phone_number_id", "This is Parcelcast's own number; give your brand's number.",
                                code="invalid")
    found.raise_any()


def _store(*, brand: Brand, info: PhoneNumberInfo, business_account_id: str, encrypted: str) -> WhatsAppSender:
    fields = {"phone_number_id": info.phone_number_id, "business_account_id": business_account_id,
              "display_phone_number": info.display_phone_number, "verified_name": info.verified_name,
              "quality_rating": info.quality_rating, "access_token_encrypted": encrypted,
              "connected_at": timezone.now()}
    # The number the brand showed before its first own number: it comes back on disconnect.
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    sender, _ = WhatsAppSender.objects.update_or_create(
        brand=brand, defaults=fields, create_defaults={**fields, "previous_whatsapp_number": brand.whatsapp_number})
    number = e164(info.display_phone_number)
    if number:  # what shoppers see (<<whatsappnumber>>, footer, tracking page) is the number that sends
        Brand.objects.filter(pk=brand.pk).update(whatsapp_number=number)
    return sender


def _enqueue_after_connect(sender_id: int) -> None:
    from messaging.tasks import sync_sender_templates

    sync_sender_templates.delay(sender_id)


# --- sending --------------------------------------------------------------------------------------

_providers: dict[tuple, WhatsAppCloudProvider] = {}
_providers_lock = threading.Lock()
MAX_CACHED_PROVIDERS = 2048


def providers_for_brands(brand_ids: set[int]) -> dict[int, WhatsAppCloudProvider]:
    """brand id -> the provider of its own number, for the brands of a batch that have one.
    System use (the sending task): the ids come from our own outbox."""
    rows = WhatsAppSender.objects.filter(brand_id__in=brand_ids).values_list(
        "pk", "brand_id", "phone_number_id", "access_token_encrypted")
    return {brand_id: provider_for(pk, phone_number_id, encrypted) for pk, brand_id, phone_number_id, encrypted in rows}


class UnreadableTokenProvider(WhatsAppCloudProvider):
    """A sender whose stored token no configured key decrypts (a key dropped too early): its
    messages fail as a configuration problem; they never fall back to another number."""

    def __init__(self, phone_number_id: str) -> None:
        super().__init__(access_token="", phone_number_id=phone_number_id)

    def post(self, payload):
        raise ProviderError(f"The access token of WhatsApp number {self.phone_number_id} cannot be decrypted with "
                            "FIELD_ENCRYPTION_KEYS: restore the key it was stored with, or connect the number again.",
                            code="sender_token_unreadable", kind="config")


def provider_for(sender_id: int, phone_number_id: str, encrypted: str) -> WhatsAppCloudProvider:
    """The sender's provider, built once per process per (sender, number, token, base URL): a new
    token (or a re-encryption) is a new key, so a changed sender is never served a stale token."""
    key = (sender_id, phone_number_id, encrypted, settings.WHATSAPP_API_BASE_URL)
    provider = _providers.get(key)
    if provider is None:
        try:
            token = field_encryption.decrypt(encrypted)
        except (field_encryption.DecryptionError, ImproperlyConfigured) as exc:
            logger.error("WhatsApp sender %s: %s", phone_number_id, exc)
            return UnreadableTokenProvider(phone_number_id)  # not cached: a restored key is seen at once
        provider = WhatsAppCloudProvider(access_token=token, phone_number_id=phone_number_id,
                                         base_url=settings.WHATSAPP_API_BASE_URL)
        with _providers_lock:
            if len(_providers) >= MAX_CACHED_PROVIDERS:
                _providers.clear()
            _providers[key] = provider
    return provider
