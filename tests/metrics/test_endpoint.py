"""/metrics: closed unless configured, refuses an unauthenticated scraper, never cached, and shows
messages per channel and state from the table."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import Message
from tests.factories.messaging import MessageFactory
from tests.metrics.conftest import TOKEN, samples, value
from tests.test_settings import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db


def test_the_endpoint_does_not_exist_until_a_token_or_addresses_are_set(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", []

    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


def test_an_unauthenticated_scraper_is_refused(client, metrics_on):
    response = client.get("/metrics")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"parcelcast_messages" not in response.content


@pytest.mark.parametrize("header", [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "])
def test_a_wrong_token_is_refused(client, metrics_on, header):
    assert client.get("/metrics", HTTP_AUTHORIZATION=header).status_code == 401


def test_the_right_token_gets_the_message_state_gauge_from_the_table(client, metrics_on):
    MessageFactory.create_batch(2, channel="whatsapp", state="queued")
    MessageFactory(channel="whatsapp", state="delivered")
    MessageFactory(channel="sms", state="failed")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    text = response.content.decode()
    assert 'parcelcast_messages{channel="whatsapp",state="queued"} 2.0' in text
    scraped = samples(text)
    assert value(scraped, "parcelcast_messages", channel="whatsapp", state="delivered") == 1
    assert value(scraped, "parcelcast_messages", channel="sms", state="failed") == 1
    assert value(scraped, "parcelcast_collector_up", collector="MessageStateCollector") == 1


def test_finished_messages_older_than_a_day_are_not_counted_queued_ones_are(scrape):
    old = timezone.now() - timedelta(days=3)
    finished, waiting = MessageFactory(channel="email", state="delivered"), MessageFactory(channel="email")
    Message.objects.filter(pk__in=[finished.pk, waiting.pk]).update(created_at=old)

    scraped = scrape()

    assert value(scraped, "parcelcast_messages", channel="email", state="delivered") is None
    assert value(scraped, "parcelcast_messages", channel="email", state="queued") == 1
    assert (
        3 * 86400 - 60 < value(scraped, "parcelcast_messages_oldest_queued_seconds", channel="email") < 3 * 86400 + 60
    )
    assert value(scraped, "parcelcast_messages_oldest_queued_seconds", channel="sms") == 0


def test_only_allowed_addresses_may_scrape(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", ["10.0.0.0/8", "192.0.2.7"]

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_with_a_token_and_addresses_both_must_hold(client, metrics_on):
    metrics_on.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", **auth).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 401
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", **auth).status_code == 200


def test_a_failing_collector_costs_its_own_numbers_not_the_scrape(client, metrics_on):
    metrics_on.METRICS_COLLECTORS = ["tests.metrics.test_endpoint.Broken", "messaging.metrics.MessageStateCollector"]
    MessageFactory(channel="sms")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    scraped = samples(response.content.decode())
    assert value(scraped, "parcelcast_collector_up", collector="Broken") == 0
    assert value(scraped, "parcelcast_messages", channel="sms", state="queued") == 1


class Broken:
    def collect(self):
        raise ConnectionError("the broker is down")


def test_a_short_token_stops_start_up():
    result = manage("check", **{**PRODUCTION_ENV, "METRICS_TOKEN": "short"})

    assert result.returncode != 0 and "METRICS_TOKEN" in result.stderr


def test_an_allowed_address_that_is_not_one_stops_start_up():
    result = manage("check", **{**PRODUCTION_ENV, "METRICS_ALLOWED_IPS": "10.0.0.0/8,not-an-ip"})

    assert result.returncode != 0 and "not-an-ip" in result.stderr
