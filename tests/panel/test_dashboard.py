"""The dashboard is honest: a read rate only over channels that report reads (WhatsApp), named
as such; a date range; every figure a link to the messages it counts."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import MessageState
from messaging.panel.selectors import message_stats
from tests.factories import MessageFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


def _messages(brand, channel, state, count, created_at=None):
    rows = [MessageFactory(shipment=ShipmentFactory(brand=brand), channel=channel, state=state) for _ in range(count)]
    if created_at:
        type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).update(created_at=created_at)
    return rows


def _window():
    now = timezone.now()
    return now - dt.timedelta(days=1), now + dt.timedelta(days=1)


def test_the_read_rate_counts_only_whatsapp_and_sms_and_email_say_not_reported(account, brand):
    # given 4 WhatsApp messages accepted, 1 read; 10 SMS and 10 e-mails delivered, none "read"
    _messages(brand, "whatsapp", MessageState.READ, 1)
    _messages(brand, "whatsapp", MessageState.DELIVERED, 3)
    _messages(brand, "sms", MessageState.DELIVERED, 10)
    _messages(brand, "email", MessageState.DELIVERED, 10)

    stats = message_stats(account=account, start=_window()[0], end=_window()[1])

    assert stats["read_rate"] == 25.0  # 1 of 4, not 1 of 24
    assert stats["read_channels"] == ["WhatsApp"]
    by_channel = {row["channel"]: row for row in stats["channels"]}
    assert by_channel["sms"]["read_rate"] is None and by_channel["email"]["read_rate"] is None
    assert by_channel["whatsapp"]["read_rate"] == 25.0


def test_the_dashboard_labels_the_read_rate_with_its_channel_and_links_every_figure(panel, brand):
    _messages(brand, "whatsapp", MessageState.READ, 1)
    _messages(brand, "sms", MessageState.DELIVERED, 2)

    html = unescape(panel.get(reverse("panel:dashboard")).content.decode())

    assert "Read rate · WhatsApp" in html
    assert "not reported" in html
    read_link = re.search(r'href="([^"]+)" id="kpi-read"', html).group(1)
    assert "state=read" in read_link and "channel=whatsapp" in read_link and "since=" in read_link
    assert re.search(r'href="/app/messages/\?since=[^"]*&channel=sms&state=delivered">2</a>', html)


def test_a_figures_link_lists_exactly_the_messages_it_counts(panel, brand):
    _messages(brand, "whatsapp", MessageState.READ, 1)
    _messages(brand, "whatsapp", MessageState.DELIVERED, 2)
    _messages(brand, "sms", MessageState.READ, 1)  # never happens, but must not count for WhatsApp

    html = unescape(panel.get(reverse("panel:dashboard")).content.decode())
    delivery_link = re.search(r'href="([^"]+)" id="kpi-delivery"', html).group(1)
    listed = panel.get(delivery_link).context["page"].paginator.count

    assert listed == 4  # delivered or read, every channel, in the range


def test_a_date_range_counts_only_its_days_and_its_links_carry_it(panel, brand):
    old = timezone.now() - dt.timedelta(days=40)
    _messages(brand, "sms", MessageState.DELIVERED, 3, created_at=old)
    _messages(brand, "sms", MessageState.DELIVERED, 1)
    day = old.date().isoformat()

    response = panel.get(reverse("panel:dashboard"), {"since": day, "until": day})
    html = unescape(response.content.decode())

    assert response.context["stats"]["total"] == 3
    link = re.search(r'href="([^"]+)" id="kpi-messages"', html).group(1)
    assert f"since={day}" in link and f"until={day}" in link
    assert panel.get(link).context["page"].paginator.count == 3


def test_a_range_ending_before_it_starts_is_refused_naming_the_field_and_the_month_is_shown(panel, brand):
    _messages(brand, "sms", MessageState.DELIVERED, 1)

    response = panel.get(reverse("panel:dashboard"), {"since": "2026-11-20", "until": "2026-11-01"})

    assert response.status_code == 200
    assert "The end of the range is before its start." in response.content.decode()
    assert response.context["stats"]["total"] == 1
