"""No platform default, in any channel, status or language, turns an empty tag into broken text:
e-mail and SMS leave out the optional part around it, WhatsApp sends a stand-in or a filler."""

import re

import pytest

from messaging.default_copy import CHANNELS, default_template
from messaging.dispatch.composing import compose
from messaging.tags import OPTIONAL_TAGS, render, render_html
from messaging.whatsapp_templates import (
    EMPTY_PARAMETER,
    FILLERS,
    whatsapp_parameters,
    whatsapp_preview,
    whatsapp_template,
)
from tests.factories import ShipmentFactory
from tests.messaging.test_default_copy import VALUES as FILLED
from tracking.statuses import ALL_CODES, LANGUAGES

# Every optional tag empty at once, then each one alone: parts must not depend on each other.
EMPTIED = [OPTIONAL_TAGS, *((tag,) for tag in OPTIONAL_TAGS)]

# Not the German "an" or "mit": separable verbs end sentences with them ("kommt heute an").
_PREPOSITIONS = (
    "with|by|at|to|from|for|avec|par|chez|à|au|pour|von|bei|für|zur|met|door|bij|voor|con|por|en|a|de|del|"
    "da|di|presso|per"
)
BROKEN = {
    "a tag or part mark left over": re.compile(r"<<|>>|\[\[|\]\]"),
    "a double space": re.compile(r"[^\S\n]{2,}"),
    "a space before a comma or full stop": re.compile(r"\s[,.]"),
    "punctuation after a colon or comma": re.compile(r"[:,;][^\S\n]*[,.;:!?]"),
    "empty brackets": re.compile(r"\(\s*\)|\[\s*\]"),
    "a line starting with a space or punctuation": re.compile(r"^[^\S\n]|^[,.;:!?)]", re.MULTILINE),
    "a line ending in a space": re.compile(r"[^\S\n]$", re.MULTILINE),
    "a preposition with nothing after it": re.compile(rf"\b(?:{_PREPOSITIONS})[^\S\n]*[,.;!?]", re.IGNORECASE),
}
# A colon ending a paragraph announces something that is not there ("Waiting for you at:").
# A letter's salutation may end with one ("Hola, Sophie:"), so an e-mail's first paragraph is spared.
DANGLING_COLON = re.compile(r":[^\S\n]*(?:\n[^\S\n]*\n|\Z)")


def broken(text: str) -> list[str]:
    found = [f"{name}: {match.group()!r} in {text!r}" for name, pattern in BROKEN.items()
             if (match := pattern.search(text))]
    after_salutation = text.split("\n\n", 1)[-1]
    if DANGLING_COLON.search(after_salutation):
        found.append(f"a colon with nothing after it in {text!r}")
    return found


def emptied(tags: tuple[str, ...]) -> dict[str, str]:
    return {**FILLED, **dict.fromkeys(tags, "")}


def test_the_broken_text_check_catches_what_the_issue_reported():
    assert broken("Expected delivery: .")
    assert broken("Hi , your parcel")
    assert broken("handed to  shortly")
    assert broken("Order () is late")
    assert broken("Hi,\n\nWaiting for you at:\n\nPlease")
    assert broken("on its way with .")
    assert not broken("Hi, your parcel is on its way. Votre commande ? Oui : ici.")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("status", ALL_CODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_default_with_empty_optional_tags_reads_without_broken_text(channel, status, language):
    template = default_template(channel, status, language)

    for tags in EMPTIED:
        values = emptied(tags)
        for text in (render(template.subject, values), render(template.body, values)):
            assert not broken(text), (tags, broken(text))
        html = render_html(template.body, values)
        assert "<p></p>" not in html and "  " not in html, (tags, html)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("status", ALL_CODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_default_with_every_tag_filled_shows_every_optional_part(channel, status, language):
    template = default_template(channel, status, language)
    text = render(template.subject + "\n" + template.body, FILLED)

    assert not broken(text), broken(text)
    for tag in OPTIONAL_TAGS:
        if f"<<{tag}>>" in template.subject + template.body:
            assert FILLED[tag] in text, tag


@pytest.mark.parametrize("status", ALL_CODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whatsapp_message_with_empty_optional_tags_reads_without_broken_text(status, language):
    template = whatsapp_template(status)

    for tags in EMPTIED:
        values = emptied(tags)
        parameters = whatsapp_parameters(template, values, language)
        text = whatsapp_preview(template, language, values, parameters)
        assert EMPTY_PARAMETER not in parameters and all(parameters), (tags, parameters)
        assert not broken(text), (tags, broken(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whatsapp_parameter_left_empty_gets_the_phrase_of_the_message_language(language):
    template = whatsapp_template("in_transit")

    parameters = whatsapp_parameters(template, emptied(("customer_name", "carrier", "eta")), language)

    assert parameters[0] == FILLERS["customer_name"][language]
    assert parameters[3] == FILLERS["carrier"][language]
    assert parameters[4] == FILLERS["eta"][language]


def test_a_missing_order_number_is_replaced_by_the_tracking_number_in_whatsapp():
    parameters = whatsapp_parameters(whatsapp_template("delivered"), emptied(("order_number",)), "de")

    assert parameters[1] == FILLED["tracking_number"]


def test_a_whatsapp_body_may_need_its_own_form_of_a_filler():
    # German: "an ... übergeben" takes the accusative, "mit ..." the dative.
    values = emptied(("carrier",))

    assert whatsapp_parameters(whatsapp_template("ready_to_ship"), values, "de")[3] == "unseren Versandpartner"
    assert whatsapp_parameters(whatsapp_template("in_transit"), values, "de")[3] == "unserem Versandpartner"


@pytest.mark.django_db
def test_a_whatsapp_message_about_a_parcel_without_name_or_carrier_reads_in_the_shoppers_language(brand):
    shipment = ShipmentFactory(brand=brand, language="fr", recipient_name="", carrier="manual", order_number="")

    composed = compose(brand=brand, shipment=shipment, channel="whatsapp", status="in_transit")

    assert composed.whatsapp_parameters[:4] == ["à vous", shipment.tracking_number, "Acme", "notre transporteur"]
    assert composed.body.startswith(f"Bonjour à vous, votre commande {shipment.tracking_number} chez Acme est en "
                                    "route avec notre transporteur. Livraison prévue : à confirmer.")


@pytest.mark.django_db
def test_an_email_about_a_parcel_without_name_or_carrier_leaves_them_out(brand):
    shipment = ShipmentFactory(brand=brand, language="en", recipient_name="", carrier="manual")

    composed = compose(brand=brand, shipment=shipment, channel="email", status="in_transit")

    assert composed.body.startswith("Hi,\n\nYour parcel is on its way to you.\n\nFollow it step by step: ")
    assert not broken(composed.body)
