"""An account's own data: export it (JSON) and delete the account.

brands may not import the apps to its right, yet an export must hold shipments, messages and
invoices, and a deletion must erase them or be refused while invoices are unpaid. Those apps
register their parts here (in AppConfig.ready, or config/apps.py for billing):

- `register_export_section(name, fn)`: `fn(account)` yields JSON-able dicts, streamed as "name": [...].
- `register_eraser(fn)`: `fn(account)` deletes that app's tenant data of the account.
- `register_deletion_guard(fn)`: `fn(account)` raises core.errors.RuleViolation to refuse.

Both see the account's deleted brands too (`include_deleted_brands=True`): their rows are still
the account's data until the retention job or the account's deletion erases them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from brands.audit import Actor, audit_record
from brands.models import Account, ApiKey, AuditEvent, Brand, Membership

ExportSection = Callable[[Account], Iterable[dict]]
_sections: dict[str, ExportSection] = {}
_erasers: list[Callable[[Account], None]] = []
_guards: list[Callable[[Account], None]] = []


def register_export_section(name: str, fn: ExportSection) -> None:
    _sections[name] = fn


def register_eraser(fn: Callable[[Account], None]) -> None:
    if fn not in _erasers:
        _erasers.append(fn)


def register_deletion_guard(fn: Callable[[Account], None]) -> None:
    if fn not in _guards:
        _guards.append(fn)


# --- export ----------------------------------------------------------------------------------------


def account_dict(account: Account) -> dict:
    return {
        "id": account.pk, "company_name": account.company_name, "country": account.country.code,
        "plan": account.plan, "vat_number": account.vat_number, "retention_days": account.retention_days,
        "created_at": account.created_at,
    }


def _brands(account: Account) -> Iterator[dict]:
    for brand in Brand.objects.for_account(account, include_deleted_brands=True).order_by("pk"):
        yield {
            "id": brand.pk, "name": brand.name, "slug": brand.slug, "whatsapp_number": brand.whatsapp_number,
            "support_email": brand.support_email, "default_language": brand.default_language,
            "primary_color": brand.primary_color, "logo_url": brand.logo_url, "created_at": brand.created_at,
            "deleted_at": brand.deleted_at,
        }


def _members(account: Account) -> Iterator[dict]:
    for membership in Membership.objects.for_account(account).select_related("user").order_by("pk"):
        yield {"email": membership.user.email, "role": membership.role, "created_at": membership.created_at}


def _api_keys(account: Account) -> Iterator[dict]:
    for key in ApiKey.objects.for_account(account).order_by("pk"):
        yield {"name": key.name, "prefix": key.prefix, "created_at": key.created_at,
               "last_used_at": key.last_used_at, "revoked_at": key.revoked_at}


def _audit_events(account: Account) -> Iterator[dict]:
    for event in AuditEvent.objects.for_account(account).order_by("pk").iterator(chunk_size=500):
        yield {"action": event.action, "actor": event.actor_label, "object_type": event.object_type,
               "object_id": event.object_id, "details": event.details, "created_at": event.created_at}


_OWN_SECTIONS: dict[str, ExportSection] = {
    "brands": _brands, "members": _members, "api_keys": _api_keys, "audit_events": _audit_events,
}


def account_export_chunks(account: Account) -> Iterator[str]:
    """The whole export as one JSON object, produced piece by piece (a StreamingHttpResponse body):
    memory stays flat however many shipments and messages the account has."""
    encode = DjangoJSONEncoder(ensure_ascii=False).encode
    yield '{"format": "parcelcast-account-export/1", "exported_at": ' + encode(timezone.now())
    yield ', "account": ' + encode(account_dict(account))
    for name, section in {**_OWN_SECTIONS, **_sections}.items():
        yield f", {json.dumps(name)}: ["
        for index, item in enumerate(section(account)):
            yield ("" if index == 0 else ", ") + encode(item)
        yield "]"
    yield "}\n"


# --- deletion ---------------------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, account: Account, confirm: str, actor: Actor | None = None) -> bool:
    """Delete the account and everything in it. `confirm` must be the company name.

    Returns True when the account row itself is gone; False when billing records that must be kept
    (invoices and their charges) hold it: then it stays as a closed shell (company name, brand
    names, invoices, charges, the audit log), with no members, keys, shipments or settings.
    """
    if not isinstance(confirm, str) or confirm.strip() != account.company_name.strip():
        raise ValidationError({"confirm": ["Type the company name exactly to confirm the deletion."]})
    locked = Account.objects.select_for_update().get(pk=account.pk)
    for guard in list(_guards):
        guard(locked)
    audit_record(account=locked, action="account.delete", actor=actor, object_type="account", object_id=locked.pk)
    for eraser in list(_erasers):
        eraser(locked)
    users = list(Membership.objects.for_account(locked).values_list("user_id", flat=True))
    ApiKey.objects.for_account(locked).delete()
    Membership.objects.for_account(locked).delete()
    get_user_model().objects.filter(pk__in=users, is_staff=False, is_superuser=False).delete()
    try:
        with transaction.atomic():
            locked.delete()
        return True
    except ProtectedError:
        pass
    for brand in Brand.objects.for_account(locked, include_deleted_brands=True):
        try:
            with transaction.atomic():
                brand.delete()
        except ProtectedError:  # billed: keep its name for the invoices, drop the rest
            Brand.objects.filter(pk=brand.pk).update(whatsapp_number="", support_email="", logo_url="")
    Account.objects.filter(pk=locked.pk).update(closed_at=timezone.now())
    return False
