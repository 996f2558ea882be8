import re

import pytest

from messaging.tags import KNOWN_TAGS
from messaging.whatsapp_templates import (
    FOOTERS,
    TEMPLATES,
    UNSUBSCRIBE_BUTTONS,
    meta_language_code,
    split_button,
    unsubscribe_button_parameter,
    unsubscribe_button_url,
    whatsapp_parameters,
    whatsapp_preview,
    whatsapp_template,
)
from tracking.statuses import ALL_CODES, LANGUAGES

PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
VALUES = {
    "customer_name": "Ana",
    "order_number": "#1042",
    "companyname": "Acme",
    "carrier": "DHL",
    "eta": "Thursday 14 March",
    "pickup_point": "Kiosk Nord, Hauptstr. 5",
    "tracking_url": "https://track.parcelcast.example/t/abc",
    "unsubscribe_url": "https://app.parcelcast.example/unsubscribe/tok/",
}


def test_there_is_one_utility_template_per_status():
    assert sorted(template.status for template in TEMPLATES) == sorted(ALL_CODES)
    for status in ALL_CODES:
        template = whatsapp_template(status)
        assert template.status == status
        assert template.name == f"pc_{status}_v3"  # v3: registered by the sync (TTL, quick replies)
        assert template.category == "utility"


@pytest.mark.parametrize("status", ALL_CODES)
def test_every_template_has_a_body_per_language_and_passes_the_tracking_link(status):
    template = whatsapp_template(status)

    assert set(template.bodies) == set(LANGUAGES)
    assert "tracking_url" in template.parameters
    assert set(template.parameters) <= set(KNOWN_TAGS)
    assert len(set(template.parameters)) == len(template.parameters)


@pytest.mark.parametrize("status", ALL_CODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_body_follows_meta_placeholder_rules(status, language):
    template = whatsapp_template(status)
    body = template.bodies[language]

    numbers = [int(number) for number in PLACEHOLDER.findall(body)]
    # Each parameter exactly once, numbered from 1 without gaps, in order of appearance.
    assert numbers == list(range(1, len(template.parameters) + 1))
    assert not PLACEHOLDER.match(body)
    assert not re.search(r"\{\{\d+\}\}\s*$", body)
    assert len(body) <= 1024


@pytest.mark.parametrize("language", LANGUAGES)
def test_footer_tells_how_to_stop_within_metas_footer_limit(language):
    assert "STOP" in FOOTERS[language]
    assert len(FOOTERS[language]) <= 60


def test_parameters_come_in_template_order():
    template = whatsapp_template("in_transit")

    assert whatsapp_parameters(template, VALUES) == [
        "Ana", "#1042", "Acme", "DHL", "Thursday 14 March", "https://track.parcelcast.example/t/abc",
    ]


def test_empty_or_missing_value_is_never_sent_empty_because_meta_rejects_empty_parameters():
    template = whatsapp_template("in_transit")
    values = {**VALUES, "eta": "", "carrier": "   ", "companyname": ""}
    del values["customer_name"]

    # Fillers for what a shop may not know; a dash for what has none (a brand always has a name).
    assert whatsapp_parameters(template, values, "en")[:5] == [
        "there", "#1042", "-", "our delivery partner", "to be confirmed",
    ]


def test_parameters_lose_new_lines_tabs_and_long_runs_of_spaces_which_meta_rejects():
    template = whatsapp_template("ready_for_pickup")
    values = {**VALUES, "pickup_point": "Kiosk Nord\nHauptstr. 5\t10115      Berlin"}

    assert whatsapp_parameters(template, values)[3] == "Kiosk Nord Hauptstr. 5 10115 Berlin"


def test_preview_fills_the_body_and_adds_the_footer_and_the_unsubscribe_button():
    preview = whatsapp_preview(whatsapp_template("out_for_delivery"), "en", VALUES)

    assert preview.startswith("Hi Ana, your order #1042 from Acme is out for delivery with DHL")
    assert "https://track.parcelcast.example/t/abc" in preview
    assert preview.endswith("\n\nReply STOP to unsubscribe\n[Unsubscribe] https://app.parcelcast.example/unsubscribe/tok/")
    assert "{{" not in preview


@pytest.mark.parametrize("language", LANGUAGES)
def test_preview_is_in_the_requested_language(language):
    preview = whatsapp_preview(whatsapp_template("delivered"), language, VALUES)

    assert preview.endswith(f"{FOOTERS[language]}\n[{UNSUBSCRIBE_BUTTONS[language]}] {VALUES['unsubscribe_url']}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_preview_splits_into_its_text_and_its_button(language):
    preview = whatsapp_preview(whatsapp_template("delivered"), language, VALUES)

    text, button, link = split_button(preview)

    assert text.endswith(FOOTERS[language]) and (button, link) == (UNSUBSCRIBE_BUTTONS[language], VALUES["unsubscribe_url"])


def test_a_text_without_a_button_line_is_left_whole():
    assert split_button("Hello\n[not a button] https://x.example/") == ("Hello\n[not a button] https://x.example/", "", "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unsubscribe_button_text_is_within_metas_limit(language):
    assert 0 < len(UNSUBSCRIBE_BUTTONS[language]) <= 25


def test_the_button_is_registered_with_a_dynamic_end_and_each_send_fills_in_the_recipients_link(settings):
    settings.PUBLIC_BASE_URL = "https://app.parcelcast.example"

    assert unsubscribe_button_url() == "https://app.parcelcast.example/unsubscribe/{{1}}"
    assert unsubscribe_button_parameter(VALUES["unsubscribe_url"]) == "tok/"
    with pytest.raises(ValueError):
        unsubscribe_button_parameter("https://elsewhere.example/unsubscribe/tok/")


def test_preview_falls_back_to_english_for_an_unknown_language():
    template = whatsapp_template("delayed")

    assert whatsapp_preview(template, "pt", VALUES) == whatsapp_preview(template, "en", VALUES)


def test_preview_does_not_expand_placeholders_inside_values():
    preview = whatsapp_preview(whatsapp_template("delivered"), "en", {**VALUES, "customer_name": "{{2}} <<eta>>"})

    assert preview.startswith("Hi {{2}} <<eta>>, your order #1042")


@pytest.mark.parametrize("language, code", [("en", "en"), ("fr", "fr"), ("de", "de"), ("nl", "nl"),
                                            ("es", "es"), ("it", "it"), ("fr-BE", "fr"), ("pt", "en"), (None, "en")])
def test_meta_language_code(language, code):
    assert meta_language_code(language) == code


def test_unknown_status_is_rejected():
    with pytest.raises(ValueError):
        whatsapp_template("lost_at_sea")
