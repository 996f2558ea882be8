"""One delivery attempt, and what it leaves behind (healthchecks' way: the row before the call,
the outcome after it).

`deliver(delivery_id)` claims the row if it is due (a conditional UPDATE: a second task, or the
sweeper, finds it claimed and does nothing), POSTs the stored body with a fresh signature, never
following a redirect, with a short timeout, to a public address only (targets.py: checked before
the call, and again on connecting, to the very address connected to), and records the attempt.
A 2xx ends it; anything else (an error status, a redirect, a timeout, a refused address) is tried
again after 1, 2, 4 ... minutes (at most an hour apart) until 24 hours after the event; then the
delivery has failed. An endpoint whose attempts have all failed for 24 hours is switched off and
its owners are told by e-mail.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from requests_hardened.ip_filter import InvalidIPAddress

from webhooks_out.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks_out.signing import HEADER, signature
from webhooks_out.targets import RefusedTarget, check_target, pinned_http

logger = logging.getLogger(__name__)

TIMEOUT = (3.05, 10)  # (connect, read) seconds: a receiver should answer at once and work later
# An attempt's lease: longer than the timeouts, so a running attempt is never claimed again.
LEASE = timedelta(seconds=60)
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed ones: 60, 120, 240 ... at most an hour."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300 and not self.error


def post(url: str, secret: str, body: str) -> AttemptResult:
    """The HTTP call itself; never raises."""
    try:
        check_target(url)
    except RefusedTarget as exc:
        return AttemptResult(None, 0, str(exc)[:500])
    raw = body.encode()
    headers = {"Content-Type": "application/json", HEADER: signature(secret, int(time.time()), raw)}
    started = time.monotonic()
    try:
        response = pinned_http().post(url, data=raw, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except InvalidIPAddress as exc:  # the name resolved to a private address at connection time
        return AttemptResult(None, _ms(started), f"Refused: {_host(url)} resolved to {exc}, a private or loopback address,"
                                                 f" when connecting (the address changed since it was checked).")
    except requests.Timeout:
        return AttemptResult(None, _ms(started), "Timed out.")
    except requests.RequestException as exc:
        return AttemptResult(None, _ms(started), f"{type(exc).__name__}: {exc}"[:500])
    status = response.status_code
    response.close()  # the answer's body is not read: a receiver has nothing to tell us in it
    if 300 <= status < 400:
        return AttemptResult(status, _ms(started), "Redirect not followed (webhooks never follow redirects).")
    return AttemptResult(status, _ms(started), "" if 200 <= status < 300 else f"HTTP {status}")


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _claim(delivery_id: int, now: datetime) -> bool:
    # System work on an outbox row by id (the task's argument), not a tenant's request.
    return bool(WebhookDelivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now).update(next_attempt_at=now + LEASE))


def deliver(delivery_id: int, *, now: datetime | None = None) -> int | None:
    """Try a due delivery once. Returns the seconds until its next try, or None (done, failed for
    good, or not ours to try now)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active or endpoint.deleted_at is not None:
        _finish(delivery, DeliveryState.FAILED, now)
        return None
    result = post(endpoint.url, endpoint.secret, delivery.body)
    return record(delivery, result, now=now)


def record(delivery: WebhookDelivery, result: AttemptResult, *, now: datetime) -> int | None:
    with transaction.atomic():
        WebhookAttempt.objects.create(delivery=delivery, at=now, status_code=result.status_code,
                                      duration_ms=result.duration_ms, error=result.error)
        attempts = delivery.attempts + 1
        WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=attempts, last_status_code=result.status_code)
        if result.ok:
            _finish(delivery, DeliveryState.SUCCEEDED, now)
            WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, failing_since__isnull=False).update(
                failing_since=None)
            return None
        endpoint = delivery.endpoint
        # The first failure after a success starts the endpoint's 24 hours; later ones keep it.
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
        failing_since = WebhookEndpoint.objects.values_list("failing_since", flat=True).get(pk=endpoint.pk)
        if failing_since <= now - GIVE_UP_AFTER:
            switch_off(endpoint, now=now, reason="Every delivery failed for 24 hours.")
            return None
        if delivery.created_at <= now - GIVE_UP_AFTER:
            _finish(delivery, DeliveryState.FAILED, now)
            return None
        delay = retry_delay(attempts)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now + timedelta(seconds=delay))
        return delay


def _finish(delivery: WebhookDelivery, state: str, now: datetime) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=state, next_attempt_at=None, finished_at=now)


def switch_off(endpoint: WebhookEndpoint, *, now: datetime, reason: str) -> bool:
    """Turn the endpoint off (once: a conditional UPDATE), fail its pending deliveries and e-mail
    its account's owners after commit. True when this call switched it off."""
    from webhooks_out.notices import endpoint_switched_off_notify
    from webhooks_out.subscriptions import forget

    if not WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
            active=False, disabled_at=now, disabled_reason=reason[:200]):
        return False
    WebhookDelivery.objects.filter(Q(endpoint_id=endpoint.pk), state=DeliveryState.PENDING).update(
        state=DeliveryState.FAILED, next_attempt_at=None, finished_at=now)
    forget()
    logger.warning("webhook endpoint %s switched off: %s", endpoint.pk, reason)
    transaction.on_commit(lambda: endpoint_switched_off_notify(endpoint_id=endpoint.pk))
    return True
