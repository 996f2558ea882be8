import pytest

from messaging.dispatch.planning import plan_messages
from messaging.models import Message, MessageState
from messaging.services.notifications import channel_document_replace
from messaging.short_links import shipment_short_urls
from tests.factories import BrandFactory
from tests.factories.messaging import OptOutFactory
from tests.factories.tracking import ShipmentFactory

pytestmark = pytest.mark.django_db


def test_a_status_change_sends_one_message_per_enabled_channel(shipment, move):
    move(shipment, "out_for_delivery")

    messages = Message.objects.filter(shipment=shipment)
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms", "whatsapp"]
    assert set(messages.values_list("state", flat=True)) <= {"sent", "delivered", "read"}
    assert all(message.trigger_status == "out_for_delivery" for message in messages)


def test_a_status_toggled_off_sends_nothing_on_that_channel(notifying_brand, shipment, move):
    channel_document_replace(brand=notifying_brand, channel="sms", enabled=True,
                             countries={"NL": {"out_for_delivery": False}})

    move(shipment, "out_for_delivery")

    assert sorted(Message.objects.filter(shipment=shipment).values_list("channel", flat=True)) == ["email", "whatsapp"]


def test_a_country_not_added_receives_nothing(notifying_brand, move):
    belgian = ShipmentFactory(brand=notifying_brand, to_country="BE")

    move(belgian, "delivered")

    assert not Message.objects.filter(shipment=belgian).exists()


def test_a_shipment_without_phone_gets_only_email(notifying_brand, move):
    no_phone = ShipmentFactory(brand=notifying_brand, recipient_phone="")

    move(no_phone, "delivered")

    assert list(Message.objects.filter(shipment=no_phone).values_list("channel", flat=True)) == ["email"]


def test_an_opted_out_recipient_gets_a_suppressed_row_and_nothing_is_sent(notifying_brand, shipment, move):
    OptOutFactory(brand=notifying_brand, recipient="+31612345678")

    move(shipment, "delivered")

    states = dict(Message.objects.filter(shipment=shipment).values_list("channel", "state"))
    assert states["sms"] == states["whatsapp"] == MessageState.SUPPRESSED
    assert states["email"] != MessageState.SUPPRESSED
    assert Message.objects.get(shipment=shipment, channel="sms").provider_message_id == ""


def test_planning_the_same_change_twice_creates_nothing_new(shipment, move):
    move(shipment, "delivered")
    before = list(Message.objects.order_by("pk").values_list("pk", "state"))

    plan_messages([(shipment.pk, "delivered")])
    plan_messages([(shipment.pk, "delivered")])

    assert list(Message.objects.order_by("pk").values_list("pk", "state")) == before


def test_a_passing_status_the_parcel_has_left_is_planned_as_superseded_and_never_sent(shipment, move):
    move(shipment, "in_transit")
    move(shipment, "out_for_delivery")
    Message.objects.filter(trigger_status="in_transit").delete()

    assert plan_messages([(shipment.pk, "in_transit")]) == []
    assert set(Message.objects.filter(trigger_status="in_transit").values_list("state", "error_code")) == {
        ("suppressed", "superseded")}


def test_configuration_of_one_brand_does_not_notify_for_another(account, notifying_brand, move):
    quiet_brand = BrandFactory(account=account)
    parcel = ShipmentFactory(brand=quiet_brand)

    move(parcel, "delivered")

    assert not Message.objects.filter(shipment=parcel).exists()


def test_messages_are_written_in_the_shipments_language_with_real_links(notifying_brand, move):
    parcel = ShipmentFactory(brand=notifying_brand, language="fr", recipient_name="Camille")

    move(parcel, "out_for_delivery")

    sms = Message.objects.get(shipment=parcel, channel="sms")
    email = Message.objects.get(shipment=parcel, channel="email")
    assert sms.language == "fr" and "Camille" in email.body
    tracking, unsubscribe = shipment_short_urls(parcel)  # short links in SMS, to the same pages
    assert tracking in sms.body and unsubscribe in sms.body
    assert f"/track/{parcel.tracking_token}/" in email.body and "/unsubscribe/" in email.body
    assert "<<" not in sms.body + email.body + email.subject
    assert "Acme" in email.html and "<script" not in email.html


def test_planning_a_batch_costs_a_constant_number_of_queries(notifying_brand, django_assert_max_num_queries):
    from tracking.models import Shipment

    parcels = ShipmentFactory.create_batch(30, brand=notifying_brand)
    Shipment.objects.filter(pk__in=[p.pk for p in parcels]).update(status="delivered")

    with django_assert_max_num_queries(20):
        ids = plan_messages([(p.pk, "delivered") for p in parcels])

    assert len(ids) == 90


def test_links_are_signed_once_per_address_and_the_sms_carries_short_links_needing_no_token(notifying_brand):
    from unittest import mock

    from messaging import optout_tokens, rendering
    from tracking.models import Shipment

    parcels = ShipmentFactory.create_batch(3, brand=notifying_brand)
    Shipment.objects.filter(pk__in=[p.pk for p in parcels]).update(status="delivered")

    with mock.patch.object(rendering, "make_optout_token", wraps=optout_tokens.make_optout_token) as tokens:
        plan_messages([(p.pk, "delivered") for p in parcels])

    # one token per parcel's phone number (WhatsApp's button) and one per e-mail address; the SMS's
    # short links are HMACs of their own (messaging/short_links.py)
    assert tokens.call_count == 6
    for parcel in parcels:
        sms, whatsapp = (Message.objects.get(shipment=parcel, channel=c) for c in ("sms", "whatsapp"))
        assert shipment_short_urls(parcel)[0] in sms.body and parcel.tracking_url in whatsapp.whatsapp_parameters


def test_planning_hands_its_new_messages_to_the_planner_already_claimed(notifying_brand):
    from django.utils import timezone

    from messaging.dispatch.planning import plan_and_claim
    from tracking.models import Shipment

    parcel = ShipmentFactory(brand=notifying_brand)
    Shipment.objects.filter(pk=parcel.pk).update(status="delivered")
    until = timezone.now() + timezone.timedelta(minutes=5)

    plan = plan_and_claim([(parcel.pk, "delivered")], claim_until=until)
    replay = plan_and_claim([(parcel.pk, "delivered")], claim_until=until)

    assert sorted(m.channel for m in plan.claimed) == ["email", "sms", "whatsapp"]
    assert all(m.brand == notifying_brand and m.shipment_status == "delivered" for m in plan.claimed)
    stored = Message.objects.filter(shipment=parcel)
    assert set(stored.values_list("attempts", "claimed_until")) == {(1, until)}
    # a replay (a second planner) inserts nothing, so it holds nothing and leaves nothing waiting
    assert replay.claimed == [] and replay.waiting == []
