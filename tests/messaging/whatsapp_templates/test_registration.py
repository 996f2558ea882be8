"""What the platform registers at Meta, built from the messaging copy (pure)."""

from messaging.whatsapp_registration import (
    MAX_TTL_SECONDS,
    PHOTO_NAME,
    TTL_SECONDS,
    registrations,
)
from messaging.whatsapp_templates import TEMPLATES, fallback_ttl_minutes


def by_key(items):
    return {(item.name, item.language): item for item in items}


def test_every_template_is_registered_in_every_language_as_utility():
    items = registrations()
    plain = [item for item in items if item.name.endswith("_v3")]

    assert len(plain) == sum(len(template.bodies) for template in TEMPLATES) == 66
    assert {item.payload["category"] for item in items} == {"UTILITY"}
    assert all(item.name.startswith("pc_") for item in items)
    assert items[:66] == plain  # before the short-lived variants: a sync cut short registers these first


def test_each_template_has_short_lived_variants_for_brands_with_fallback():
    items = by_key(registrations())

    for minutes in (1, 5, 30, 120):
        variant = items[(f"pc_in_transit_v3_ttl{minutes}", "de")]
        assert variant.payload["message_send_ttl_seconds"] == minutes * 60
        assert variant.payload["components"] == items[("pc_in_transit_v3", "de")].payload["components"]
    assert len(registrations()) == 66 * 5  # every tier is shorter than every status's own 4 - 12 h
    assert fallback_ttl_minutes(1) == 1 and fallback_ttl_minutes(4) == 1 and fallback_ttl_minutes(29) == 5
    assert fallback_ttl_minutes(30) == 30 and fallback_ttl_minutes(1440) == 120


def test_the_body_carries_one_example_per_parameter_and_the_footer_follows():
    item = by_key(registrations())[("pc_in_transit_v3", "de")]
    body, footer, _ = item.payload["components"]

    assert body["type"] == "BODY" and "{{6}}" in body["text"]
    assert len(body["example"]["body_text"][0]) == 6
    assert "Dezember" in body["example"]["body_text"][0][4]  # the expected delivery date, in German
    assert footer == {"type": "FOOTER", "text": "Antworten Sie mit STOP, um sich abzumelden"}


def test_the_unsubscribe_url_button_comes_first_with_an_example(settings):
    settings.PUBLIC_BASE_URL = "https://pc.example"
    buttons = by_key(registrations())[("pc_delivered_v3", "en")].payload["components"][-1]["buttons"]

    assert buttons == [{"type": "URL", "text": "Unsubscribe", "url": "https://pc.example/unsubscribe/{{1}}",
                        "example": ["https://pc.example/unsubscribe/pV7x3kQ9mZ2tR8wL4nYbC6aQ"]}]


def test_a_failed_delivery_offers_localised_quick_replies_after_the_url_button():
    buttons = by_key(registrations())[("pc_delivery_failed_v3", "fr")].payload["components"][-1]["buttons"]

    assert buttons[0]["type"] == "URL"  # sends address it as button index 0
    assert [(b["type"], b["text"]) for b in buttons[1:]] == [
        ("QUICK_REPLY", "Reprogrammer"), ("QUICK_REPLY", "Retrait en point relais"),
        ("QUICK_REPLY", "Changer d'adresse")]
    assert all(len(b["text"]) <= 25 for item in registrations() for b in item.payload["components"][-1]["buttons"])


def test_other_statuses_have_no_quick_replies():
    buttons = by_key(registrations())[("pc_delivered_v3", "en")].payload["components"][-1]["buttons"]

    assert [b["type"] for b in buttons] == ["URL"]


def test_each_status_has_a_time_to_live_within_metas_limits():
    items = registrations()

    assert all(30 <= item.payload["message_send_ttl_seconds"] <= MAX_TTL_SECONDS == 43200 for item in items)
    assert by_key(items)[("pc_out_for_delivery_v3", "en")].payload["message_send_ttl_seconds"] == TTL_SECONDS[
        "out_for_delivery"] <= 12 * 3600


def test_the_photo_variant_of_delivered_is_registered_only_with_an_example_image_handle():
    assert PHOTO_NAME not in {item.name for item in registrations()}

    photos = [item for item in registrations(header_handle="4::aW1hZ2U=") if item.name == PHOTO_NAME]

    assert len(photos) == 6 and photos[0].status == "delivered"
    header = photos[0].payload["components"][0]
    assert header == {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2U="]}}
    assert photos[0].payload["components"][1]["text"] == by_key(registrations())[
        ("pc_delivered_v3", photos[0].language)].payload["components"][0]["text"]
