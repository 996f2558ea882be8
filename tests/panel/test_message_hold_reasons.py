"""A message held back on purpose (suppressed, expired) is not an error: the message log and the
shipment's messages give its reason in plain text with the code small beside it, while a failure
stays red; costs never wrap."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db
STALE = "The event was too old to be news when it arrived."


@pytest.fixture
def messages(shipment):
    MessageFactory(shipment=shipment, channel="sms", state="suppressed", error_code="stale_event",
                   error_message=STALE)
    MessageFactory(shipment=shipment, channel="whatsapp", state="failed", error_code="131026",
                   error_message="Message undeliverable", trigger_status="delivered")
    MessageFactory(shipment=shipment, channel="email", state="read", recipient="a@example.com",
                   trigger_status="delivered", price=Decimal("0.14"), currency="EUR")


@pytest.mark.parametrize("page", ["log", "shipment"])
def test_a_suppressed_message_shows_its_reason_in_plain_text_and_a_failure_in_red(panel, shipment, messages, page):
    url = (reverse("panel:message-list") if page == "log"
           else reverse("panel:shipment-messages", args=[shipment.pk]))

    html = panel.get(url).content.decode()

    assert f'<span class="state-note">{STALE} <code class="code-muted">stale_event</code></span>' in html
    assert "stale_event The event" not in html
    assert '<span class="error-text">131026 Message undeliverable</span>' in html


def test_the_cost_in_the_log_never_wraps(panel, messages):
    html = panel.get(reverse("panel:message-list")).content.decode()

    assert 'class="num nowrap">EUR 0.14</td>' in html
