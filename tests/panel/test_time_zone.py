"""The panel's clock: times in the account's time zone, named once in the sidebar, set on the
Settings page; the API and the shopper pages keep their own clocks."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from brands.models import AuditEvent
from tests.factories import MembershipFactory, MessageFactory, TrackingEventFactory

pytestmark = pytest.mark.django_db

# 05:07 UTC in December is 06:07 in Amsterdam (CET, UTC+1).
EVENT_AT = datetime(2026, 12, 1, 5, 7, tzinfo=UTC)


def amsterdam(account):
    account.time_zone = "Europe/Amsterdam"
    account.save(update_fields=["time_zone"])


def test_the_panel_shows_times_in_the_accounts_time_zone(panel, account, shipment):
    amsterdam(account)
    TrackingEventFactory(shipment=shipment, occurred_at=EVENT_AT, status="in_transit")

    html = panel.get(reverse("panel:shipment-detail", args=[shipment.pk])).content.decode()

    assert "06:07" in html and "05:07" not in html


def test_an_account_in_utc_sees_utc(panel, account, shipment):
    TrackingEventFactory(shipment=shipment, occurred_at=EVENT_AT, status="in_transit")

    html = panel.get(reverse("panel:shipment-detail", args=[shipment.pk])).content.decode()

    assert "05:07" in html and "06:07" not in html


def test_the_sidebar_names_the_zone_the_times_are_in(panel, account):
    amsterdam(account)

    html = panel.get(reverse("panel:dashboard")).content.decode()

    assert html.count("Times in Europe/Amsterdam") == 1


def test_the_zone_is_switched_off_after_a_panel_request(panel, account):
    amsterdam(account)

    panel.get(reverse("panel:dashboard"))

    assert timezone.get_current_timezone_name() == "UTC"


def test_the_api_keeps_utc_whatever_the_accounts_zone(panel, api, account, shipment):
    amsterdam(account)
    TrackingEventFactory(shipment=shipment, occurred_at=EVENT_AT, status="in_transit")

    for client in (api, panel):  # a key, and the panel's own session on the API
        data = client.get(f"/api/v1/shipments/{shipment.pk}/").json()
        assert [event["occurred_at"] for event in data["events"]] == ["2026-12-01T05:07:00Z"]


def test_the_shoppers_tracking_page_keeps_the_shoppers_zone(client, account, shipment):
    account.time_zone = "America/New_York"  # the merchant's clock must not leak to the shopper
    account.save(update_fields=["time_zone"])
    shipment.to_country = "NL"
    shipment.save(update_fields=["to_country"])
    TrackingEventFactory(shipment=shipment, occurred_at=EVENT_AT, status="in_transit")

    html = client.get(urlsplit(shipment.tracking_url).path).content.decode()

    assert "06:07" in html and "00:07" not in html


def test_a_held_message_for_another_day_shows_its_date_without_seconds(panel, account, shipment):
    amsterdam(account)
    slot = (timezone.now() + timedelta(days=2)).replace(hour=6, minute=0, second=15, microsecond=0)
    MessageFactory(shipment=shipment, channel="whatsapp", state="scheduled", not_before=slot)
    local = slot.astimezone(ZoneInfo("Europe/Amsterdam"))  # 07:00 in winter, 08:00 in summer
    expected = f"{local.day} {local:%b}, {local:%H}:00"
    if local.year != timezone.now().year:
        expected = f"{local.day} {local:%b %Y}, {local:%H}:00"

    fragment = panel.get(reverse("panel:shipment-messages", args=[shipment.pk])).content.decode()
    listing = panel.get(reverse("panel:message-list"), {"state": "scheduled"}).content.decode()

    assert f"goes at {expected}" in fragment and f"until {expected}" in listing
    assert ":00:15" not in fragment + listing


def test_a_held_message_for_later_today_shows_the_time_alone(panel, account, shipment):
    # UTC account: "later today" is now plus a minute, unless that crosses midnight
    slot = timezone.now() + timedelta(minutes=1)
    if slot.date() != timezone.now().date():
        pytest.skip("a minute before midnight: no later today")
    MessageFactory(shipment=shipment, channel="whatsapp", state="scheduled", not_before=slot)

    fragment = panel.get(reverse("panel:shipment-messages", args=[shipment.pk])).content.decode()

    assert f"goes at {slot:%H:%M}" in fragment
    assert f"goes at {slot.day} " not in fragment


def test_an_owner_sets_the_time_zone_on_the_settings_page(panel, account):
    page = panel.get(reverse("panel:settings")).content.decode()
    response = panel.post(reverse("panel:time-zone"), {"time_zone": "Europe/Lisbon"})

    assert 'name="time_zone"' in page
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.time_zone == "Europe/Lisbon"


def test_the_countrys_zones_come_first_in_the_select(panel, account):
    account.country = "ES"
    account.save(update_fields=["country"])

    choices = [value for value, _label in panel.get(reverse("panel:settings")).context["time_zone_form"]
               .fields["time_zone"].choices]

    assert choices[:3] == ["Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary"]
    assert "America/New_York" in choices and len(choices) == len(set(choices))


def test_an_unknown_zone_is_refused_naming_the_field(panel, account):
    response = panel.post(reverse("panel:time-zone"), {"time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 200 and set(response.context["time_zone_form"].errors) == {"time_zone"}
    account.refresh_from_db()
    assert account.time_zone == "UTC"


def test_a_member_cannot_change_the_time_zone(client, account):
    member = MembershipFactory(account=account, role="member").user
    client.force_login(member)

    response = client.post(reverse("panel:time-zone"), {"time_zone": "Europe/Lisbon"})

    assert response.status_code == 403
    account.refresh_from_db()
    assert account.time_zone == "UTC"


def test_the_time_zone_change_is_audited(panel, account, member):
    panel.post(reverse("panel:time-zone"), {"time_zone": "Europe/Amsterdam"})
    panel.post(reverse("panel:time-zone"), {"time_zone": "Europe/Amsterdam"})  # no change: no event

    events = AuditEvent.objects.filter(account=account, action="account.time_zone")
    assert [(e.details["before"], e.details["after"], e.user_id) for e in events] == [
        ({"time_zone": "UTC"}, {"time_zone": "Europe/Amsterdam"}, member.pk)
    ]
