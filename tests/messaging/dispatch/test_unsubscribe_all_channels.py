"""The unsubscribe page's two scopes as planning sees them: the token's address only, or every
address of the same shopper at the brand ("all channels")."""

import pytest

from messaging.models import Message, MessageState, OptOut
from messaging.optout_tokens import make_optout_token
from tests.factories import BrandFactory
from tests.factories.tracking import ShipmentFactory

pytestmark = pytest.mark.django_db


def states(shipment) -> dict[str, str]:
    return dict(Message.objects.filter(shipment=shipment).values_list("channel", "state"))


def test_unsubscribing_a_phone_number_stops_sms_and_whatsapp_while_emails_continue(client, shipment, move):
    client.post(f"/unsubscribe/{make_optout_token(shipment.brand_id, '+31612345678')}/", {"scope": "this"})

    move(shipment, "delivered")

    sent = states(shipment)
    assert sent["sms"] == sent["whatsapp"] == MessageState.SUPPRESSED
    assert sent["email"] != MessageState.SUPPRESSED


def test_all_channels_from_a_phone_link_also_stops_the_emails_of_the_same_shipments(
        client, notifying_brand, shipment, move):
    # given: a second order of the same shopper, with another e-mail address and the same phone
    second = ShipmentFactory(brand=notifying_brand, recipient_phone="+31612345678", recipient_email="S.Visser@Work.example")

    # when
    response = client.post(f"/unsubscribe/{make_optout_token(notifying_brand.pk, '+31612345678')}/", {"scope": "all"})
    move(shipment, "delivered")
    move(second, "out_for_delivery")

    # then: nothing is planned to any of the shopper's addresses, on any channel
    assert response.status_code == 200
    assert set(OptOut.objects.values_list("recipient", flat=True)) == {
        "+31612345678", "sanne@example.com", "s.visser@work.example"}
    planned = Message.objects.filter(shipment__in=[shipment, second])
    assert planned.exists()
    assert set(planned.values_list("state", flat=True)) == {MessageState.SUPPRESSED}
    assert not planned.filter(channel="email").exclude(state=MessageState.SUPPRESSED).exists()


def test_all_channels_from_an_email_link_also_stops_the_phone_of_the_same_shipments(
        client, notifying_brand, shipment, move):
    client.post(f"/unsubscribe/{make_optout_token(notifying_brand.pk, 'Sanne@Example.com')}/", {"scope": "all"})

    move(shipment, "delivered")

    assert set(states(shipment).values()) == {MessageState.SUPPRESSED}


def test_all_channels_touches_neither_other_brands_nor_other_shoppers(client, account, notifying_brand, shipment):
    other_brand = BrandFactory(account=account)
    ShipmentFactory(brand=other_brand, recipient_phone="+31612345678", recipient_email="elsewhere@example.com")
    ShipmentFactory(brand=notifying_brand, recipient_phone="+31699999999", recipient_email="someone@example.com")

    client.post(f"/unsubscribe/{make_optout_token(notifying_brand.pk, '+31612345678')}/", {"scope": "all"})

    assert set(OptOut.objects.values_list("brand_id", "recipient")) == {
        (notifying_brand.pk, "+31612345678"), (notifying_brand.pk, "sanne@example.com")}


def test_one_click_without_a_scope_stops_the_links_address_only(client, notifying_brand, shipment):
    client.post(f"/unsubscribe/{make_optout_token(notifying_brand.pk, 'sanne@example.com')}/",
                {"List-Unsubscribe": "One-Click"})

    assert list(OptOut.objects.values_list("recipient", flat=True)) == ["sanne@example.com"]
