"""Tag values (messaging.rendering), opt-out tokens, localised dates and template resolution."""

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone

from messaging.default_copy import default_template
from messaging.dispatch.composing import TemplateCache, compose
from messaging.localdates import format_date
from messaging.optout_tokens import BadOptOutToken, make_optout_token, read_optout_token
from messaging.rendering import tag_values
from messaging.tags import KNOWN_TAGS, render
from messaging.template_selectors import resolve_template
from tests.factories import BrandFactory
from tests.factories.messaging import TemplateOverrideFactory
from tracking.models import Shipment

BODY = "<<companyname>> custom <<unsubscribe_url>>"


@pytest.fixture
def shipment(brand):
    return Shipment.objects.create(
        brand=brand, carrier="dhl", tracking_number="JVGL0001", order_number="A-1001", recipient_name="Jo Smit",
        recipient_phone="+31612345678", recipient_email="Jo@Example.com", language="fr", to_country="BE",
        expected_delivery=dt.date(2099, 3, 1),  # still ahead: a date gone by is left out
    )


def test_tag_values_fill_every_known_tag_from_brand_and_shipment(brand, shipment):
    brand.whatsapp_number = "+31687654321"

    values = tag_values(brand=brand, channel="email", status="out_for_delivery", language="fr", shipment=shipment)

    assert set(values) == set(KNOWN_TAGS)
    assert values["companyname"] == "Acme" and values["whatsappnumber"] == "+31687654321"
    assert values["customer_name"] == "Jo Smit" and values["order_number"] == "A-1001"
    assert values["carrier"] == "DHL" and values["tracking_number"] == "JVGL0001"
    assert values["status"] == "En cours de livraison"
    assert values["eta"] == "1er mars 2099"
    assert values["tracking_url"] == f"https://parcelcast.test/track/{shipment.tracking_token}/"
    token = values["unsubscribe_url"].removeprefix("https://parcelcast.test/unsubscribe/").rstrip("/")
    assert read_optout_token(token).recipient == "jo@example.com"


def test_the_carrier_tag_says_the_shipments_own_carrier_name_when_it_has_one(brand, shipment):
    shipment.carrier, shipment.carrier_name = "manual", "PostNL"

    values = tag_values(brand=brand, channel="sms", status="in_transit", language="nl", shipment=shipment)

    assert values["carrier"] == "PostNL"


@pytest.mark.parametrize("carrier, expected", [("dhl", "DHL"), ("sandbox", "Sandbox"), ("manual", "")])
def test_without_a_carrier_name_the_carrier_tag_says_the_carriers_name_and_never_manual(brand, shipment, carrier,
                                                                                          expected):
    shipment.carrier = carrier

    values = tag_values(brand=brand, channel="sms", status="in_transit", language="en", shipment=shipment)

    assert values["carrier"] == expected


@pytest.mark.parametrize("channel", ["email", "sms", "whatsapp"])
def test_a_delay_announced_after_the_expected_date_leaves_the_old_date_out(brand, shipment, channel):
    """A stalled parcel's carrier estimate has often passed: "new expected delivery: 1 March" in
    December would be untrue. The optional part holding the date goes; WhatsApp, whose approved
    text cannot drop it, says "to be confirmed"."""
    shipment.expected_delivery = timezone.now().date() - dt.timedelta(days=3)
    shipment.language = "en"

    composed = compose(brand=brand, shipment=shipment, channel=channel, status="delayed", templates=TemplateCache())

    text = composed.body + " ".join(composed.whatsapp_parameters or [])
    assert f"{shipment.expected_delivery.day} " not in text.replace(shipment.order_number, "")
    if channel == "whatsapp":
        assert "to be confirmed" in composed.whatsapp_parameters
    else:
        assert "New date" not in text and "new expected delivery" not in text


def test_an_expected_delivery_of_today_is_still_announced(brand, shipment):
    shipment.expected_delivery = timezone.now().date()

    values = tag_values(brand=brand, channel="email", status="delayed", language="en", shipment=shipment)

    assert values["eta"] == format_date(shipment.expected_delivery, "en")


def test_a_manual_shipment_without_carrier_name_leaves_the_carrier_out_of_the_default_text(brand, shipment):
    shipment.carrier, shipment.language = "manual", "en"
    values = tag_values(brand=brand, channel="sms", status="in_transit", language="en", shipment=shipment)

    text = render(default_template("sms", "in_transit", "en").body, values)

    assert "is on its way. Due 1 March. Track:" in text and "Manual" not in text


def test_the_unsubscribe_link_is_for_the_channels_address(brand, shipment):
    values = tag_values(brand=brand, channel="whatsapp", status="delivered", language="en", shipment=shipment)

    token = values["unsubscribe_url"].split("/unsubscribe/")[1].rstrip("/")
    assert read_optout_token(token).recipient == "+31612345678"
    assert read_optout_token(token).brand_id == brand.pk


def test_sample_values_need_no_shipment_and_no_query(brand, django_assert_num_queries):
    with django_assert_num_queries(0):
        values = tag_values(brand=brand, channel="sms", status="delivered", language="nl")

    assert set(values) == set(KNOWN_TAGS)
    assert values["status"] == "Bezorgd" and values["customer_name"]


@pytest.mark.parametrize(
    "language, expected",
    [("en", "14 May 2026"), ("fr", "14 mai 2026"), ("de", "14. Mai 2026"), ("nl", "14 mei 2026"),
     ("es", "14 de mayo de 2026"), ("it", "14 maggio 2026"), ("pt", "14 May 2026")],
)
def test_dates_are_written_per_language(language, expected):
    assert format_date(dt.date(2026, 5, 14), language) == expected


def test_a_missing_date_is_empty():
    assert format_date(None, "en") == ""


def test_an_optout_token_round_trips_brand_and_recipient():
    token = make_optout_token(7, " Shopper@Example.com ")

    target = read_optout_token(token)

    assert (target.brand_id, target.recipient) == (7, "shopper@example.com")
    assert "/" not in token


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", signing.dumps([7, "+31612345678"], salt="another.salt"), signing.dumps({"brand": 7},
     salt="parcelcast.messaging.optout")],
)
def test_foreign_or_altered_optout_tokens_are_refused(token):
    with pytest.raises(BadOptOutToken):
        read_optout_token(token)


def test_an_altered_optout_token_is_refused():
    token = make_optout_token(7, "+31612345678")
    with pytest.raises(BadOptOutToken):
        read_optout_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_a_recipients_token_is_signed_once_and_anew_under_a_new_secret_key(settings):
    first = make_optout_token(7, "+31612345678")
    assert make_optout_token(7, "+31612345678") is first

    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    rotated = make_optout_token(7, "+31612345678")

    assert rotated != first
    assert (read_optout_token(rotated).brand_id, read_optout_token(rotated).recipient) == (7, "+31612345678")
    with pytest.raises(BadOptOutToken):  # without SECRET_KEY_FALLBACKS, the old key's token no longer verifies
        read_optout_token(first)


# --- language fallback -------------------------------------------------------------------------


def test_the_shipment_language_comes_first(brand):
    resolved = resolve_template(brand, "email", "delivered", "de")

    assert resolved.language == "de" and resolved.is_default
    assert resolved.subject == default_template("email", "delivered", "de").subject


def test_without_a_usable_shipment_language_the_brand_default_is_used(brand):
    brand.default_language = "nl"

    for language in (None, "", "pt"):
        assert resolve_template(brand, "sms", "delivered", language).language == "nl"


def test_regional_language_codes_are_understood(brand):
    assert resolve_template(brand, "sms", "delivered", "fr-BE").language == "fr"


def test_an_override_in_the_shipment_language_wins(brand):
    TemplateOverrideFactory(brand=brand, channel="sms", language="fr", body=BODY)

    resolved = resolve_template(brand, "sms", "delivered", "fr")

    assert (resolved.body, resolved.is_default, resolved.language) == (BODY, False, "fr")


def test_the_shipment_language_default_beats_an_override_in_another_language(brand):
    brand.default_language = "nl"
    TemplateOverrideFactory(brand=brand, channel="sms", language="nl", body=BODY)

    assert resolve_template(brand, "sms", "delivered", "fr").body == default_template("sms", "delivered", "fr").body
    assert resolve_template(brand, "sms", "delivered", "pt").body == BODY


def test_english_is_the_last_resort(brand):
    brand.default_language = "xx"  # not a language we write (only possible for a bad row)

    resolved = resolve_template(brand, "sms", "delivered", "pt")

    assert resolved.language == "en" and resolved.body == default_template("sms", "delivered", "en").body


def test_overrides_of_another_brand_are_ignored(account, brand):
    TemplateOverrideFactory(brand=BrandFactory(account=account), channel="sms", language="en", body=BODY)

    assert resolve_template(brand, "sms", "delivered", "en").is_default


def test_whatsapp_resolves_to_the_platform_template(brand):
    resolved = resolve_template(brand, "whatsapp", "delivered", "es")

    assert resolved.is_default and resolved.language == "es"
    assert resolved.body.startswith("¡Hola, <<customer_name>>!")
