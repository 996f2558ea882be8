"""A fallback made in the shopper's quiet hours waits for the window like any message (DESIGN
"Send decisions" rules 7 and 8): an undelivered WhatsApp message looked at late in the evening,
or a `failed` receipt arriving at night, gets its SMS in the morning, not at once."""

import datetime as dt
from datetime import UTC

import pytest

from messaging import tasks
from messaging.models import MessageState
from messaging.services.sending_policy import sending_policy_replace
from tests.messaging.dispatch.fallback.conftest import REACHED, of, reaching, sweep, webhook

pytestmark = pytest.mark.django_db

# 20:40 in Amsterdam (CET, UTC+1) on a winter evening: before the 21:00 - 08:00 window.
EVENING = dt.datetime(2026, 1, 14, 19, 40, tzinfo=UTC)
# 21:10 in Amsterdam: 30 minutes on, inside the window; it ends at 08:00 local, 07:00 UTC.
IN_THE_WINDOW = EVENING + dt.timedelta(minutes=30)
WINDOW_OPENS = dt.datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def quiet_hours_and_fallback(brand, *, excepted=()):
    sending_policy_replace(brand=brand, document={
        "quiet_hours": {"enabled": True, "start": "21:00", "end": "08:00", "except": list(excepted)},
        "fallback": {"enabled": True, "order": ["whatsapp", "sms", "email"], "after_minutes": 30},
    })


def test_an_undelivered_message_looked_at_in_quiet_hours_is_replaced_by_an_sms_held_until_morning(
    brand, shipment, accepted, clock, django_capture_on_commit_callbacks
):
    quiet_hours_and_fallback(brand)
    clock.now = EVENING
    whatsapp = accepted(shipment, "in_transit")
    assert whatsapp.state == MessageState.SENT

    clock.now = IN_THE_WINDOW
    assert sweep(IN_THE_WINDOW, django_capture_on_commit_callbacks) == 1

    whatsapp.refresh_from_db()
    sms = of(shipment, "sms")
    assert whatsapp.state == MessageState.EXPIRED
    assert (sms.state, sms.not_before, sms.fallback_of_id) == (MessageState.SCHEDULED, WINDOW_OPENS, whatsapp.pk)
    clock.now = WINDOW_OPENS - dt.timedelta(seconds=1)
    assert tasks.release_scheduled_messages() == 0

    clock.now = WINDOW_OPENS
    assert tasks.release_scheduled_messages() == 1

    sms.refresh_from_db()
    assert (sms.state in REACHED, sms.sent_at) == (True, WINDOW_OPENS)
    assert reaching(shipment) == [("in_transit", 1, "sms")]


def test_a_failed_receipt_at_night_holds_the_replacement_until_the_window_opens(
    brand, shipment, accepted, clock, django_capture_on_commit_callbacks
):
    quiet_hours_and_fallback(brand)
    clock.now = EVENING
    whatsapp = accepted(shipment, "delivered")

    clock.now = IN_THE_WINDOW
    assert webhook(whatsapp, "failed", code="131026", at=IN_THE_WINDOW, run=django_capture_on_commit_callbacks)

    sms = of(shipment, "sms")
    assert (sms.state, sms.not_before) == (MessageState.SCHEDULED, WINDOW_OPENS)
    assert reaching(shipment) == [("delivered", 1, "sms")]


def test_a_replacement_for_an_excepted_status_goes_at_once_in_quiet_hours(
    brand, shipment, accepted, clock, django_capture_on_commit_callbacks
):
    quiet_hours_and_fallback(brand, excepted=["out_for_delivery"])
    clock.now = EVENING
    whatsapp = accepted(shipment, "out_for_delivery")

    clock.now = IN_THE_WINDOW
    assert sweep(IN_THE_WINDOW, django_capture_on_commit_callbacks) == 1

    sms = of(shipment, "sms")
    assert sms.fallback_of_id == whatsapp.pk and sms.not_before is None
    assert sms.state in REACHED and sms.sent_at == IN_THE_WINDOW


def test_a_replacement_outside_quiet_hours_goes_at_once(
    brand, shipment, accepted, clock, django_capture_on_commit_callbacks
):
    quiet_hours_and_fallback(brand)
    clock.now = EVENING - dt.timedelta(hours=2)  # 18:40 in Amsterdam; looked at 19:10
    accepted(shipment, "in_transit")

    clock.now += dt.timedelta(minutes=30)
    assert sweep(clock.now, django_capture_on_commit_callbacks) == 1

    sms = of(shipment, "sms")
    assert sms.not_before is None and sms.state in REACHED
