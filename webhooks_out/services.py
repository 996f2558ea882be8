"""Writes of webhook endpoints: create (the secret returned once), delete, test, switch back on."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from brands.audit import audit_record
from brands.models import Account
from webhooks_out.events import enqueue, event_body
from webhooks_out.models import TEST_EVENT, EventType, WebhookDelivery, WebhookEndpoint
from webhooks_out.signing import new_secret
from webhooks_out.subscriptions import forget
from webhooks_out.targets import literal_private_host

MAX_ENDPOINTS = 10


def _clean(url: str, events) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # both raise ValueError on a malformed URL
    except ValueError:
        raise ValidationError({"url": [gettext("This is not a valid URL.")]}) from None
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS
    if parts.scheme not in (("https", "http") if allow_private else ("https",)) or not host or " " in url:
        errors["url"] = [gettext("Give an https:// URL.") if not allow_private else gettext("Give an http(s):// URL.")]
    elif parts.username or parts.password:
        errors["url"] = [gettext("Credentials in the URL are not allowed; authenticate deliveries by their signature.")]
    elif not allow_private and (host := literal_private_host(url)):
        errors["url"] = [gettext("%(host)s is a private or loopback address; webhooks go to public addresses only.")
                          % {"host": host}]
    if not isinstance(events, list | tuple) or not events:
        errors["events"] = [gettext("Choose at least one of: %(events)s.") % {"events": ", ".join(EventType.values)}]
    else:
        unknown = [str(e) for e in events if e not in EventType.values]
        if unknown:
            errors["events"] = [f"Unknown event {unknown[0]!r}; use {', '.join(EventType.values)}."]
    if errors:
        raise ValidationError(errors)
    return url, [e for e in EventType.values if e in events]  # one order, no duplicates


def endpoint_create(*, account: Account, url: str, events) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (shown to the caller this once; never again)."""
    url, events = _clean(url, events)
    with transaction.atomic():
        Account.objects.select_for_update().filter(pk=account.pk).first()  # count and insert as one
        if WebhookEndpoint.objects.for_account(account).filter(deleted_at__isnull=True).count() >= MAX_ENDPOINTS:
            raise ValidationError({"url": [gettext("An account has at most %(count)d webhook endpoints.")
                                           % {"count": MAX_ENDPOINTS}]})
        secret = new_secret()
        endpoint = WebhookEndpoint.objects.create(account=account, url=url, events=events, secret=secret)
        audit_record(account=account, action="webhook_endpoint.create", object_type="webhook_endpoint",
                     object_id=endpoint.pk, url=url, events=events)
        forget()
    return endpoint, secret


def _endpoint(account: Account, endpoint_id: int) -> WebhookEndpoint:
    return WebhookEndpoint.objects.for_account(account).get(pk=endpoint_id, deleted_at__isnull=True)


def endpoint_delete(*, account: Account, endpoint_id: int) -> WebhookEndpoint:
    """Hidden and silent at once; raises WebhookEndpoint.DoesNotExist for another account's."""
    with transaction.atomic():
        endpoint = _endpoint(account, endpoint_id)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(deleted_at=timezone.now(), active=False)
        audit_record(account=account, action="webhook_endpoint.delete", object_type="webhook_endpoint",
                     object_id=endpoint.pk, url=endpoint.url)
        forget()
    return endpoint


def endpoint_switch_on(*, account: Account, endpoint_id: int) -> WebhookEndpoint:
    with transaction.atomic():
        endpoint = _endpoint(account, endpoint_id)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            active=True, failing_since=None, disabled_at=None, disabled_reason="")
        audit_record(account=account, action="webhook_endpoint.switch_on", object_type="webhook_endpoint",
                     object_id=endpoint.pk)
        forget()
    endpoint.refresh_from_db()
    return endpoint


def endpoint_send_test(*, account: Account, endpoint_id: int) -> WebhookDelivery:
    """A `webhook.test` event to this endpoint only, delivered (and retried) like any other."""
    with transaction.atomic():
        endpoint = _endpoint(account, endpoint_id)
        now = timezone.now()
        delivery = WebhookDelivery(endpoint=endpoint, event_type=TEST_EVENT, created_at=now, next_attempt_at=now)
        delivery.body = event_body(delivery.event_id, TEST_EVENT, now, {
            "message": "A test event from Parcelcast. Check the signature, then answer 2xx.",
            "account": account.pk, "endpoint": endpoint.pk})
        delivery.save()
        enqueue([delivery])
    return delivery
