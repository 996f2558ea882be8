"""Template sync: register the platform templates missing in a business account and record what
Meta says of every template there (messaging.models.WhatsAppTemplate).

Within Meta's management limits (about 200 calls an hour per business account): one paged list,
then one POST per missing registration only. A POST that finds the budget spent or the token
refused stops the sync (the rest waits for the next one); a template Meta refuses is reported
and the others go on. Usable for any business account: the platform's (the command and the beat
task) or a brand's own, given its id and token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from messaging import whatsapp_gate
from messaging.models import WhatsAppTemplate
from messaging.providers.whatsapp_management import ManagementError, TemplateManagementClient
from messaging.whatsapp_registration import platform_names, registrations

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    business_account_id: str
    listed: int = 0  # templates Meta listed
    created: list[str] = field(default_factory=list)  # "name/language" registered now
    failed: dict[str, str] = field(default_factory=dict)  # "name/language" -> Meta's refusal
    deferred: list[str] = field(default_factory=list)  # not tried: the sync stopped first
    error: str = ""  # why the sync stopped early ("" when it did not)
    calls: int = 0  # management calls made

    @property
    def ok(self) -> bool:
        return not self.error and not self.failed


def sync_templates(*, business_account_id: str, access_token: str, base_url: str = "",
                   progress: Callable[[str], None] | None = None,
                   advance: Callable[..., None] | None = None) -> SyncReport:
    """List the business account's templates, record them, and register the missing platform ones.
    `progress` hears a line per step; `advance(count, total=None)` the templates done (core.progress)."""
    say = progress or (lambda line: None)
    done = advance or (lambda count, total=None: None)
    client = TemplateManagementClient(business_account_id=business_account_id, access_token=access_token,
                                      base_url=base_url or settings.WHATSAPP_API_BASE_URL)
    report = SyncReport(business_account_id=business_account_id)
    wanted = registrations(header_handle=getattr(settings, "WHATSAPP_TEMPLATE_HEADER_HANDLE", ""))
    try:
        say(f"Listing the templates of business account {business_account_id}...")
        listed = list(client.list_templates())
    except ManagementError as exc:
        report.error, report.calls = str(exc), client.calls
        report.deferred = [f"{r.name}/{r.language}" for r in wanted]
        logger.error("template sync of %s: listing failed (%s): %s", business_account_id, exc.kind, exc)
        return report
    report.listed = len(listed)
    _record_listed(business_account_id, listed)
    present = {(item["name"], item["language"]) for item in listed}
    missing = [r for r in wanted if r.key not in present]
    say(f"{len(listed)} templates at Meta; {len(missing)} to register.")
    done(0, total=len(missing))
    for index, item in enumerate(_counted(missing, done), 1):
        label = f"{item.name}/{item.language}"
        if report.error:
            report.deferred.append(label)
            continue
        say(f"[{index}/{len(missing)}] registering {label}")
        try:
            answer = client.create_template(item.payload)
        except ManagementError as exc:
            if exc.kind == "duplicate":  # registered meanwhile (or listed late): the next list records it
                continue
            if exc.stops_sync:
                report.error = str(exc)
                report.deferred.append(label)
            else:
                report.failed[label] = str(exc)
            continue
        _record_created(business_account_id, item, answer)
        report.created.append(label)
    report.calls = client.calls
    whatsapp_gate.forget(business_account_id)
    return report


def _counted(items: list, done: Callable[..., None]) -> Iterator:
    """The items, calling done(1) as each one's turn of the loop ends (whichever way it ends)."""
    for item in items:
        yield item
        done(1)


def _record_listed(business_account_id: str, listed: list[dict]) -> None:
    """Upsert every listed template; drop rows of ours that Meta no longer lists (deleted there:
    the missing registration is made again right after)."""
    now = timezone.now()
    names = platform_names()
    with transaction.atomic():
        existing = {(t.name, t.language): t for t in WhatsAppTemplate.objects.select_for_update().filter(
            business_account_id=business_account_id)}
        for item in listed:
            row = existing.pop((item["name"], item["language"]), None) or WhatsAppTemplate(
                business_account_id=business_account_id, name=item["name"], language=item["language"])
            components = item.pop("components")
            for name, value in item.items():
                setattr(row, name, value)
            if components is not None:
                row.components = components
            row.synced_at = now
            row.save()
        gone = [row.pk for key, row in existing.items() if key[0] in names]
        WhatsAppTemplate.objects.filter(pk__in=gone).delete()


def _record_created(business_account_id: str, item, answer: dict) -> None:
    WhatsAppTemplate.objects.update_or_create(
        business_account_id=business_account_id, name=item.name, language=item.language,
        defaults={
            "meta_id": str(answer.get("id") or ""),
            "status": str(answer.get("status") or "PENDING").upper(),
            "category": str(answer.get("category") or item.payload["category"]).upper(),
            "quality": "UNKNOWN", "rejection_reason": "",
            "components": item.payload["components"],
            "message_send_ttl_seconds": item.payload.get("message_send_ttl_seconds"),
            "synced_at": timezone.now(),
        },
    )


def sync_platform_templates(progress: Callable[[str], None] | None = None,
                            business_account_id: str = "") -> SyncReport | None:
    """The platform's business account (WHATSAPP_BUSINESS_ACCOUNT_ID), or the one given; None
    when there is none or no access token (the sandbox)."""
    account = business_account_id or whatsapp_gate.platform_business_account()
    if not account or not settings.WHATSAPP_ACCESS_TOKEN:
        return None
    return sync_templates(business_account_id=account, access_token=settings.WHATSAPP_ACCESS_TOKEN,
                          base_url=settings.WHATSAPP_API_BASE_URL, progress=progress)
