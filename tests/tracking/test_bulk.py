"""tracking.bulk: many rows at once, with the semantics of Django's bulk methods."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from messaging.models import Message
from tests.factories.tracking import ShipmentFactory
from tracking.bulk import bulk_update_rows, insert_rows
from tracking.models import Shipment

pytestmark = pytest.mark.django_db


def message_row(shipment, channel="sms", status="in_transit", parameters=()):
    return (shipment.pk, shipment.brand_id, channel, status, "+31612345678", "Your parcel", list(parameters))


FIELDS = ("shipment_id", "brand_id", "channel", "trigger_status", "recipient", "body", "whatsapp_parameters")


def test_inserted_rows_get_the_given_values_and_every_other_column_its_default():
    shipment = ShipmentFactory()
    before = timezone.now()

    insert_rows(Message, FIELDS, [message_row(shipment, "whatsapp", parameters=["Sanne", "#1"])])

    message = Message.objects.get()
    assert (message.channel, message.trigger_status, message.body) == ("whatsapp", "in_transit", "Your parcel")
    assert message.whatsapp_parameters == ["Sanne", "#1"]
    assert message.state == "queued" and message.attempts == 0 and message.language == "en"
    assert message.price is None and message.provider == "" and before <= message.created_at <= timezone.now()


def test_callable_defaults_are_worked_out_per_row():
    shipments = ShipmentFactory.build_batch(2)
    brand = ShipmentFactory().brand
    insert_rows(Shipment, ("brand_id", "carrier", "tracking_number"),
                [(brand.pk, "manual", s.tracking_number) for s in shipments])

    tokens = list(Shipment.objects.filter(carrier="manual").values_list("tracking_token", flat=True))
    assert len(tokens) == 2 and len(set(tokens)) == 2 and all(tokens)


def test_ignore_conflicts_skips_rows_that_break_a_unique_constraint_and_inserts_the_rest():
    shipment, other = ShipmentFactory(), ShipmentFactory()
    insert_rows(Message, FIELDS, [message_row(shipment)])

    insert_rows(Message, FIELDS, [message_row(shipment), message_row(other)], ignore_conflicts=True)

    assert sorted(Message.objects.values_list("shipment_id", flat=True)) == sorted([shipment.pk, other.pk])


@pytest.mark.django_db(transaction=True)  # each call in a transaction of its own, as in autocommit
def test_a_refused_insert_leaves_nothing_behind_for_the_next_one():
    shipment, other, third = ShipmentFactory(), ShipmentFactory(), ShipmentFactory()
    insert_rows(Message, FIELDS, [message_row(shipment)])

    with pytest.raises(IntegrityError):
        insert_rows(Message, FIELDS, [message_row(other), message_row(shipment)])
    insert_rows(Message, FIELDS, [message_row(third)])

    assert sorted(Message.objects.values_list("shipment_id", flat=True)) == sorted([shipment.pk, third.pk])


def test_a_row_of_the_wrong_length_is_refused_before_anything_is_written():
    shipment = ShipmentFactory()
    with pytest.raises(ValueError):
        insert_rows(Message, FIELDS, [message_row(shipment), message_row(shipment)[:-1]])
    assert not Message.objects.exists()


def test_bulk_update_rows_gives_each_row_its_own_values():
    first, second = ShipmentFactory(status="in_transit"), ShipmentFactory(status="in_transit")
    first.status, second.status = "delivered", "delayed"
    first.status_at = second.status_at = timezone.now() - timedelta(minutes=1)

    bulk_update_rows([first, second], ["status", "status_at"])

    assert dict(Shipment.objects.values_list("pk", "status")) == {first.pk: "delivered", second.pk: "delayed"}


def test_returning_names_only_the_rows_really_inserted():
    shipment, other = ShipmentFactory(), ShipmentFactory()
    insert_rows(Message, FIELDS, [message_row(shipment)])

    inserted = insert_rows(Message, FIELDS, [message_row(shipment), message_row(other, "whatsapp")],
                           ignore_conflicts=True, returning=("id", "shipment_id", "channel"))

    new = Message.objects.get(shipment=other)
    assert inserted == [(new.pk, other.pk, "whatsapp")]


def test_null_columns_and_json_lists_go_in_as_given():
    shipment = ShipmentFactory()
    now = timezone.now()

    insert_rows(Message, (*FIELDS, "claimed_until", "price"),
                [(*message_row(shipment, parameters=["a", "b"]), None, None),
                 (*message_row(shipment, "whatsapp"), now, "0.1234")])

    rows = dict(Message.objects.values_list("channel", "claimed_until"))
    assert rows == {"sms": None, "whatsapp": now}
    assert Message.objects.get(channel="sms").whatsapp_parameters == ["a", "b"]
