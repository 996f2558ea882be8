"""Delivery rating: asked after `delivered` when the brand switched it on (after its delay), a
reply "1".."5" records the rating and the next text its comment; the e-mail's signed links
record one rating per shipment; the dashboard shows the average per brand and carrier."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.conversations.asks import asks_run_due
from messaging.conversations.rating import rating_links, rating_token
from messaging.default_copy import de, en
from messaging.models import AskStep, DeliveryRating, ShopperAsk
from messaging.shopper_request_selectors import ratings_by_brand_and_carrier
from tests.factories import BrandFactory, DeliveryRatingFactory, ShipmentFactory
from tests.messaging.conversations.ask_fixtures import (  # noqa: F401 - fixtures
    SHOPPER,
    move,
    notifying_brand,
    reply,
    sent,
)
from tracking.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating_brand(notifying_brand):
    notifying_brand.rating_ask_enabled, notifying_brand.rating_ask_delay_hours = True, 2
    notifying_brand.save()
    return notifying_brand


def test_rating_is_off_by_default(notifying_brand, move):
    shipment = ShipmentFactory(brand=notifying_brand, recipient_phone=SHOPPER)

    move(shipment, Status.DELIVERED)

    assert not ShopperAsk.objects.exists()


def test_the_question_waits_for_the_brands_delay_then_goes_on_whatsapp_in_an_open_window(rating_brand, move, sent):
    shipment = ShipmentFactory(brand=rating_brand, recipient_phone=SHOPPER, recipient_email="", order_number="A-7",
                               language="de")
    move(shipment, Status.DELIVERED)
    reply("Danke!")  # the shopper wrote: the window is open

    asks_run_due(now=timezone.now() + timedelta(hours=1))
    assert sent == []
    asks_run_due(now=timezone.now() + timedelta(hours=2, minutes=1))

    assert sent == [("whatsapp", SHOPPER, de.ASKS["rating_question"].format(brand="Acme", order="A-7"))]


def test_a_reply_4_records_the_rating_and_the_next_text_is_its_comment(rating_brand, move, sent):
    shipment = ShipmentFactory(brand=rating_brand, recipient_phone=SHOPPER, recipient_email="")
    move(shipment, Status.DELIVERED)
    reply("hi")
    asks_run_due(now=timezone.now() + timedelta(hours=3))

    scored = reply("4")
    commented = reply("The driver rang twice, great")
    after = reply("hello again")

    rating = DeliveryRating.objects.get(shipment=shipment)
    assert (rating.score, rating.comment, rating.carrier) == (4, "The driver rang twice, great", "sandbox")
    assert scored.action == "rating" and scored.reply == en.ASKS["rating_thanks"].format(brand="Acme", score="4")
    assert commented.action == "rating_comment"
    assert commented.reply == en.ASKS["comment_thanks"].format(brand="Acme")
    assert after.action == "unknown"  # one comment; then the menu again
    assert ShopperAsk.objects.get().step == AskStep.CLOSED


def test_a_six_is_not_a_score(rating_brand, move, sent):
    shipment = ShipmentFactory(brand=rating_brand, recipient_phone=SHOPPER, recipient_email="")
    move(shipment, Status.DELIVERED)
    reply("hi")
    asks_run_due(now=timezone.now() + timedelta(hours=3))

    record = reply("6")

    assert record.action == "unknown" and not DeliveryRating.objects.exists()


def test_without_an_open_window_or_an_email_nobody_is_asked_and_a_digit_is_no_rating(rating_brand, move, sent):
    shipment = ShipmentFactory(brand=rating_brand, recipient_phone=SHOPPER, recipient_email="")
    move(shipment, Status.DELIVERED)

    asks_run_due(now=timezone.now() + timedelta(hours=3))
    record = reply("5")

    assert sent == [] and not DeliveryRating.objects.exists() and record.action == "unknown"


def test_the_email_link_records_the_rating_once_and_takes_a_comment(client):
    shipment = ShipmentFactory(language="en")
    links = dict(rating_links(shipment))

    first = client.get(links[5])
    second = client.get(links[1])
    commented = client.post(links[5], {"comment": "Left at the neighbour's, fine"})

    assert first.status_code == 200 and "you rated the delivery 5/5" in first.content.decode()
    assert "already been rated 5/5" in second.content.decode()
    rating = DeliveryRating.objects.get(shipment=shipment)
    assert (rating.score, rating.comment) == (5, "Left at the neighbour's, fine")
    assert commented.status_code == 200


def test_a_tampered_rating_link_is_refused(client):
    shipment, other = ShipmentFactory(), ShipmentFactory()
    token = rating_token(shipment)
    forged = ":".join([rating_token(other).split(":")[0], *token.split(":")[1:]])  # other parcel, this signature

    assert client.get(reverse("rate", args=[forged, 5])).status_code == 404
    assert client.get(reverse("rate", args=[token[:-2] + "xx", 5])).status_code == 404
    assert client.get(reverse("rate", args=[token, 9])).status_code == 404
    assert not DeliveryRating.objects.exists()


def test_the_rating_email_has_five_links(rating_brand, move, monkeypatch):
    shipment = ShipmentFactory(brand=rating_brand, recipient_phone=SHOPPER, recipient_email="sanne@example.com")
    sent_mail = []
    monkeypatch.setattr("messaging.providers.sandbox.SandboxEmailProvider.send",
                        lambda self, message: sent_mail.append(message) or type("R", (), {"provider_message_id": "x"}))
    move(shipment, Status.DELIVERED)

    asks_run_due(now=timezone.now() + timedelta(hours=3))

    (mail,) = [m for m in sent_mail if m.message_id == 0]  # not the delivered e-mail itself
    assert mail.to == "sanne@example.com" and mail.subject == "Acme: how was your delivery?"
    assert [line.split(": ", 1)[1] for line in mail.body.splitlines()[-5:]] == [url for _, url in
                                                                                 rating_links(shipment)]
    assert mail.html.count("/rate/") == 5


def test_the_dashboard_shows_ratings_per_brand_and_carrier(panel, account, django_assert_num_queries):
    acme, zeta = BrandFactory(account=account, name="Acme"), BrandFactory(account=account, name="Zeta")
    for score in (5, 4):
        DeliveryRatingFactory(shipment=ShipmentFactory(brand=acme, carrier="dhl"), score=score)
    DeliveryRatingFactory(shipment=ShipmentFactory(brand=zeta), score=2)
    DeliveryRatingFactory(shipment=ShipmentFactory(brand=BrandFactory(name="Outsider")), score=1)

    with django_assert_num_queries(1):
        rows = ratings_by_brand_and_carrier(account=account)
    page = panel.get(reverse("panel:dashboard")).content.decode()

    assert [(r["brand__name"], r["carrier"], r["average"], r["count"]) for r in rows] == [
        ("Acme", "dhl", 4.5, 2), ("Zeta", "sandbox", 2.0, 1)]
    assert "Delivery ratings" in page and "4.5" in page and "Outsider" not in page
