"""The panel's new-shipment form names every bad field on the first submit (a national phone number
beside a bad e-mail and currency, not in a second round), and a refused form keeps what was typed."""

import pytest
from django.urls import reverse

from tracking.models import Shipment

pytestmark = pytest.mark.django_db


def create(client, brand, **fields):
    return client.post(reverse("panel:shipment-create"), {
        "brand": brand.pk, "carrier": "sandbox", "tracking_number": "SBXPOSTED1", "language": "en",
        "to_country": "NL", **fields,
    })


def test_a_national_phone_is_refused_with_the_other_bad_fields_in_one_round(panel, account, brand):
    response = create(panel, brand, recipient_phone="0612345678", recipient_email="not-an-email",
                      cash_on_delivery_currency="eur")

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) == {"recipient_phone", "recipient_email", "cash_on_delivery_currency"}
    assert "E.164" in errors["recipient_phone"][0]
    assert not Shipment.objects.for_account(account).exists()


def test_a_carrier_name_on_two_lines_is_refused_with_the_other_bad_fields(panel, account, brand):
    response = create(panel, brand, carrier_name="Post\nNL", recipient_email="nope")

    assert set(response.context["form"].errors) == {"carrier_name", "recipient_email"}


def test_a_refused_form_keeps_the_posted_tracking_number(panel, brand):
    first = create(panel, brand, recipient_phone="0612345678")
    second = create(panel, brand, recipient_phone="0612345678")

    for response in (first, second):
        assert response.context["form"]["tracking_number"].value() == "SBXPOSTED1"
        assert 'value="SBXPOSTED1"' in response.content.decode()


def test_an_empty_form_offers_a_fresh_sandbox_number(panel, brand):
    number = panel.get(reverse("panel:shipment-create")).context["form"]["tracking_number"].value()

    assert number.startswith("SBX")
