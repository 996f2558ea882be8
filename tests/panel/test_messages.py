"""The message log (filters, states, cost, errors) and the sandbox outbox."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BrandFactory, MessageFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


def test_the_log_filters_by_channel_state_brand_and_shipment(panel, account, brand, shipment):
    other = ShipmentFactory(brand=BrandFactory(account=account))
    MessageFactory(shipment=shipment, channel="sms", state="delivered")
    MessageFactory(shipment=shipment, channel="whatsapp", state="failed", error_code="131026",
                   error_message="Message undeliverable", price=None)
    MessageFactory(shipment=other, channel="email", state="read", recipient="a@example.com",
                   price=Decimal("0.16"), currency="EUR")
    url = reverse("panel:message-list")

    def channels(**query):
        return sorted(m.channel for m in panel.get(url, query).context["page"].object_list)

    assert channels() == ["email", "sms", "whatsapp"]
    assert channels(channel="sms") == ["sms"]
    assert channels(state="failed") == ["whatsapp"]
    assert channels(brand=brand.pk) == ["sms", "whatsapp"]
    assert channels(shipment=other.pk) == ["email"]
    html = panel.get(url).content.decode()
    assert "131026 Message undeliverable" in html and "EUR 0.16" in html
    assert 'class="badge state-failed">Failed' in html


def test_a_scheduled_message_shows_when_it_goes(panel, shipment):
    slot = datetime(2026, 12, 1, 9, 30, 15, tzinfo=UTC)
    shipment.status = "delivered"  # the parcel moves no more: only the held message keeps the page polling
    shipment.save(update_fields=["status"])
    MessageFactory(shipment=shipment, channel="whatsapp", state="scheduled", trigger_status="delivered",
                   not_before=slot)

    html = panel.get(reverse("panel:message-list"), {"state": "scheduled"}).content.decode()
    fragment = panel.get(reverse("panel:shipment-messages", args=[shipment.pk])).content.decode()

    # No seconds; the date unless it is today (and the year unless it is this year).
    today = timezone.now().date()
    when = ("09:30" if today == slot.date() else "1 Dec, 09:30" if today.year == 2026 else "1 Dec 2026, 09:30")
    assert 'class="badge state-scheduled">Scheduled' in html and f"until {when}<" in html
    assert f"goes at {when}<" in fragment and "hx-trigger" in fragment  # refreshed until it has gone


def test_the_outbox_shows_only_what_the_sandbox_providers_took(panel, shipment):
    MessageFactory(shipment=shipment, channel="sms", provider="sandbox", body="Sandbox SMS text")
    MessageFactory(shipment=shipment, channel="whatsapp", provider="whatsapp_cloud", body="Real WhatsApp text")
    MessageFactory(shipment=shipment, channel="email", provider="sandbox", recipient="a@example.com",
                   subject="Your parcel", html="<p onclick=\"x()\">Hello &amp; welcome</p>")
    html = panel.get(reverse("panel:outbox")).content.decode()
    assert "Sandbox SMS text" in html and "Real WhatsApp text" not in html
    # The stored e-mail is shown in a sandboxed frame (no scripts), its HTML escaped into srcdoc.
    assert 'sandbox srcdoc="&lt;p onclick=&quot;x()&quot;&gt;Hello &amp;amp; welcome&lt;/p&gt;&lt;style&gt;' in html


def test_the_outbox_filters_by_channel(panel, shipment):
    MessageFactory(shipment=shipment, channel="sms", provider="sandbox", body="An SMS")
    MessageFactory(shipment=shipment, channel="whatsapp", provider="sandbox", trigger_status="delivered", body="A WA")
    html = panel.get(reverse("panel:outbox"), {"channel": "whatsapp"}).content.decode()
    assert "A WA" in html and "An SMS" not in html


def test_a_whatsapp_messages_unsubscribe_button_is_drawn_under_its_bubble(panel, shipment):
    MessageFactory(shipment=shipment, channel="whatsapp", provider="sandbox",
                   body="Hi Ana, it's there.\n\nReply STOP to unsubscribe\n[Unsubscribe] https://p.example/unsubscribe/t/")

    html = panel.get(reverse("panel:outbox"), {"channel": "whatsapp"}).content.decode()

    assert "Reply STOP to unsubscribe<span" in html  # the button line is out of the bubble's text
    assert 'class="bubble-button" title="https://p.example/unsubscribe/t/"' in html and "Unsubscribe</span>" in html


def test_other_accounts_messages_never_show(panel, brand, outsider):
    MessageFactory(shipment=ShipmentFactory(brand=BrandFactory(account=outsider)), provider="sandbox", body="SECRET")
    assert "SECRET" not in panel.get(reverse("panel:message-list")).content.decode()
    assert "SECRET" not in panel.get(reverse("panel:outbox")).content.decode()


def test_the_sandbox_outbox_lists_the_numbers_that_fail_on_purpose(panel):
    from django.urls import reverse as _reverse

    from messaging.providers.sandbox import MAGIC_RECIPIENTS

    html = panel.get(_reverse("panel:outbox")).content.decode()

    assert "Test numbers and addresses that fail on purpose" in html
    for recipient, whatsapp, sms, _ in MAGIC_RECIPIENTS:
        assert recipient.replace("'", "&#x27;") in html and whatsapp in html and sms in html
