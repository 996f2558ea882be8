import pytest

from messaging.default_copy import CHANNELS, DefaultTemplate, default_template, resolve_language
from messaging.default_copy import _COPY as COPY
from messaging.segments import smart_encode, sms_segments
from messaging.tags import KNOWN_TAGS, render, render_html, validate_template
from tracking.statuses import ALL_CODES, LANGUAGES

EVERY_DEFAULT = [(channel, status, language) for channel in CHANNELS for status in ALL_CODES for language in LANGUAGES]
VALUES = {
    "companyname": "Maison Lumière",
    "carrier": "Colissimo",
    "whatsappnumber": "+33 6 12 34 56 78",
    "customer_name": "Sophie",
    "order_number": "#10482",
    "tracking_number": "6A12345678901",
    "tracking_url": "https://track.parcelcast.example/t/9f3c2a1b",
    "status": "En transit",
    "eta": "jeudi 14 mars",
    "pickup_point": "Relais Tabac Presse, 12 rue de la Paix, 75002 Paris",
    "unsubscribe_url": "https://parcelcast.example/u/3b9d7c",
}


@pytest.mark.parametrize("channel, status, language", EVERY_DEFAULT)
def test_every_default_exists_validates_and_carries_the_tracking_and_unsubscribe_links(channel, status, language):
    template = default_template(channel, status, language)

    assert (template.channel, template.status, template.language) == (channel, status, language)
    validate_template(template.subject)
    validate_template(template.body)
    assert "<<tracking_url>>" in template.body
    assert "<<unsubscribe_url>>" in template.body
    assert "<<companyname>>" in template.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_module_covers_exactly_the_taxonomy(language):
    assert set(COPY[language]) == set(CHANNELS)
    for channel in CHANNELS:
        assert set(COPY[language][channel]) == set(ALL_CODES)


@pytest.mark.parametrize("status", ALL_CODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_email_default_has_a_subject_and_greets_the_customer(status, language):
    template = default_template("email", status, language)

    assert template.subject.strip()
    assert "\n" not in template.subject
    assert "<<customer_name>>" in template.body


@pytest.mark.parametrize("status", ALL_CODES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_sms_default_is_gsm7_once_smart_encoded_and_at_most_two_segments_before_substitution(status, language):
    template = default_template("sms", status, language)

    info = sms_segments(smart_encode(template.body))
    assert template.subject == ""
    assert info.encoding == "GSM-7", template.body
    assert info.segments <= 2


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "en"])
def test_translations_are_written_not_copied_from_english(language):
    for channel, status, _ in EVERY_DEFAULT:
        assert default_template(channel, status, language).body != default_template(channel, status, "en").body


@pytest.mark.parametrize("channel, status, language", EVERY_DEFAULT)
def test_default_renders_with_every_tag_filled(channel, status, language):
    template = default_template(channel, status, language)

    text = render(template.subject + "\n" + template.body, VALUES)

    assert not any(f"<<{tag}>>" in text for tag in KNOWN_TAGS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_email_default_html_links_tracking_and_unsubscribe(language):
    html = render_html(default_template("email", "ready_for_pickup", language).body, VALUES)

    assert f'<a href="{VALUES["tracking_url"]}">' in html
    assert f'<a href="{VALUES["unsubscribe_url"]}">' in html
    assert html.startswith("<p>")


@pytest.mark.parametrize("language", ["pt", "", None, "xx-YY"])
def test_unknown_language_falls_back_to_english(language):
    template = default_template("sms", "delivered", language)

    assert template.language == "en"
    assert template.body == COPY["en"]["sms"]["delivered"]


def test_regional_language_code_uses_the_base_language():
    assert default_template("email", "delayed", "fr-BE").language == "fr"
    assert default_template("email", "delayed", "nl_NL").language == "nl"


def test_status_enum_member_is_accepted():
    from tracking.statuses import Status

    assert default_template("sms", Status.IN_TRANSIT, "de") == default_template("sms", "in_transit", "de")


def test_default_template_is_a_value_object():
    template = default_template("email", "delivered", "it")

    assert isinstance(template, DefaultTemplate)
    with pytest.raises(AttributeError):
        template.body = "x"  # type: ignore[misc]


@pytest.mark.parametrize("channel", ["whatsapp", "fax", ""])
def test_unknown_channel_is_rejected(channel):
    with pytest.raises(ValueError):
        default_template(channel, "delivered", "en")


def test_unknown_status_is_rejected():
    with pytest.raises(ValueError):
        default_template("sms", "lost_at_sea", "en")


def test_resolve_language_takes_the_first_supported_candidate():
    assert resolve_language(None, "", "pt-BR", "DE", "fr") == "de"


def test_resolve_language_falls_back_to_english():
    assert resolve_language() == "en"
    assert resolve_language("pt", "ja") == "en"
