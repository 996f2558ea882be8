"""Sending a delivery: signed, retried with backoff, never to private addresses (without the
setting), never following a redirect, switched off after 24 hours of failure."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import responses
from django.core import mail
from django.utils import timezone

from brands.models import Role
from tests.factories import MembershipFactory, WebhookDeliveryFactory, WebhookEndpointFactory
from webhooks_out import sending
from webhooks_out.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks_out.sending import deliver
from webhooks_out.tasks import sweep_due_webhooks

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/parcelcast"
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_verify():
    """The `verify` function exactly as the README gives it to integrators."""
    text = README.read_text()
    section = text[text.index("## Outbound webhooks"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own README's snippet
    return namespace["verify"]


@pytest.fixture
def endpoint(account):
    return WebhookEndpointFactory(account=account, url=URL, secret="whsec_known_secret")


@responses.activate(assert_all_requests_are_fired=True)
def test_a_delivery_is_signed_so_the_readme_snippet_verifies_it(endpoint):
    delivery = WebhookDeliveryFactory(endpoint=endpoint)
    responses.post(URL, status=204)

    assert deliver(delivery.pk) is None

    call = responses.calls[0].request
    verify = readme_verify()
    assert verify("whsec_known_secret", call.headers["Parcelcast-Signature"], call.body)
    assert not verify("whsec_other_secret", call.headers["Parcelcast-Signature"], call.body)
    assert not verify("whsec_known_secret", call.headers["Parcelcast-Signature"], call.body + b" ")
    document = json.loads(call.body)
    assert set(document) == {"id", "type", "created_at", "data"}
    assert document["id"] == str(delivery.event_id)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SUCCEEDED
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert (attempt.status_code, attempt.error) == (204, "")


@responses.activate
def test_a_500_is_retried_with_growing_delays_and_each_attempt_is_logged(endpoint):
    delivery = WebhookDeliveryFactory(endpoint=endpoint)
    responses.post(URL, status=500)
    start = timezone.now()

    first = deliver(delivery.pk, now=start)
    early = deliver(delivery.pk, now=start + timedelta(seconds=30))  # not due yet: nothing sent
    second = deliver(delivery.pk, now=start + timedelta(seconds=61))

    assert (first, early, second) == (60, None, 120)
    assert len(responses.calls) == 2
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 2
    assert [a.status_code for a in WebhookAttempt.objects.filter(delivery=delivery)] == [500, 500]


@responses.activate
def test_a_timeout_is_retried_then_a_success_ends_it(endpoint):
    delivery = WebhookDeliveryFactory(endpoint=endpoint)
    responses.post(URL, body=requests.exceptions.ReadTimeout("read timed out"))
    start = timezone.now()
    assert deliver(delivery.pk, now=start) == 60

    responses.replace(responses.POST, URL, status=200)
    assert deliver(delivery.pk, now=start + timedelta(seconds=60)) is None

    attempts = list(WebhookAttempt.objects.filter(delivery=delivery))
    assert [(a.status_code, a.error) for a in attempts] == [(None, "Timed out."), (200, "")]
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.state == DeliveryState.SUCCEEDED and endpoint.failing_since is None


def test_the_retry_delay_doubles_up_to_an_hour():
    assert [sending.retry_delay(n) for n in (1, 2, 3, 7, 8, 20)] == [60, 120, 240, 3600, 3600, 3600]


@responses.activate
@pytest.mark.parametrize("url", ["https://127.0.0.1/hook", "https://10.1.2.3/hook", "http://[::1]/hook",
                                 "https://169.254.169.254/latest", "https://192.168.1.5/", "https://172.16.0.1/"])
def test_no_delivery_to_loopback_or_private_addresses_without_the_setting(url, account, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(account=account, url=url))
    responses.post(re.compile(".*"), status=200)

    assert deliver(delivery.pk) == 60

    assert len(responses.calls) == 0
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None and "private or loopback" in attempt.error


@responses.activate
def test_a_name_resolving_to_a_private_address_is_refused(account, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    monkeypatch.setattr("webhooks_out.targets.resolve", lambda host, port: ["93.184.215.14", "10.0.0.7"])
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(account=account, url=URL))

    deliver(delivery.pk)

    assert len(responses.calls) == 0
    assert "10.0.0.7" in WebhookAttempt.objects.get(delivery=delivery).error


@responses.activate
def test_a_public_address_is_delivered_to_with_the_setting_off(account, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    monkeypatch.setattr("webhooks_out.targets.resolve", lambda host, port: ["93.184.215.14"])
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(account=account, url=URL))
    responses.post(URL, status=200)

    assert deliver(delivery.pk) is None
    assert len(responses.calls) == 1


@responses.activate
def test_the_setting_allows_a_local_receiver(account, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    delivery = WebhookDeliveryFactory(endpoint=WebhookEndpointFactory(account=account, url="http://127.0.0.1:9/h"))
    responses.post("http://127.0.0.1:9/h", status=200)

    assert deliver(delivery.pk) is None
    assert len(responses.calls) == 1


@responses.activate
def test_a_redirect_is_never_followed(endpoint):
    delivery = WebhookDeliveryFactory(endpoint=endpoint)
    responses.post(URL, status=302, headers={"Location": "https://internal.example.com/steal"})
    responses.post("https://internal.example.com/steal", status=200)

    assert deliver(delivery.pk) == 60

    assert [call.request.url for call in responses.calls] == [URL]
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code == 302 and "Redirect not followed" in attempt.error


@responses.activate
def test_an_endpoint_failing_for_24_hours_is_switched_off_and_the_owners_told(
        account, django_capture_on_commit_callbacks):
    owner = MembershipFactory(account=account, role=Role.OWNER).user
    MembershipFactory(account=account, role=Role.MEMBER)
    start = timezone.now() - timedelta(hours=25)
    endpoint = WebhookEndpointFactory(account=account, url=URL, failing_since=start)
    old = WebhookDeliveryFactory(endpoint=endpoint, created_at=start)
    other_pending = WebhookDeliveryFactory(endpoint=endpoint, next_attempt_at=timezone.now() + timedelta(hours=1))
    responses.post(URL, status=503)

    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(old.pk) is None

    endpoint.refresh_from_db()
    assert endpoint.active is False and endpoint.disabled_at is not None
    assert set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("state", flat=True)) == {"failed"}
    assert other_pending.pk in WebhookDelivery.objects.filter(state="failed").values_list("pk", flat=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email] and URL in mail.outbox[0].body


@responses.activate
def test_a_delivery_failing_for_24_hours_gives_up_while_the_endpoint_stays_on(account):
    endpoint = WebhookEndpointFactory(account=account, url=URL)  # it succeeded an hour ago
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(hours=1))
    delivery = WebhookDeliveryFactory(endpoint=endpoint, created_at=timezone.now() - timedelta(hours=24, minutes=1))
    responses.post(URL, status=500)

    assert deliver(delivery.pk) is None

    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and endpoint.active
    assert len(mail.outbox) == 0


@responses.activate
def test_a_delivery_to_a_switched_off_endpoint_is_not_sent(account):
    endpoint = WebhookEndpointFactory(account=account, url=URL, active=False)
    delivery = WebhookDeliveryFactory(endpoint=endpoint)

    assert deliver(delivery.pk) is None

    assert len(responses.calls) == 0
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED


@responses.activate
def test_the_sweeper_sends_a_delivery_whose_task_was_lost(endpoint):
    lost = WebhookDeliveryFactory(endpoint=endpoint, next_attempt_at=timezone.now() - timedelta(minutes=5))
    WebhookDeliveryFactory(endpoint=endpoint, next_attempt_at=timezone.now() + timedelta(minutes=5))
    responses.post(URL, status=200)

    assert sweep_due_webhooks() == 1

    lost.refresh_from_db()
    assert lost.state == DeliveryState.SUCCEEDED
    assert len(responses.calls) == 1
