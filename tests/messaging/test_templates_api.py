"""Templates: /api/v1/brands/{id}/templates/ list, PUT/DELETE of overrides, and preview."""

import datetime as dt

import pytest

from messaging.default_copy import default_template
from messaging.models import TemplateOverride
from messaging.rendering import tag_values
from messaging.segments import sms_segments
from messaging.short_links import shipment_short_urls
from messaging.tags import render
from tests.factories import BrandFactory
from tests.factories.billing import plans  # noqa: F401 - fixture
from tests.factories.messaging import TemplateOverrideFactory
from tracking.models import Shipment
from tracking.statuses import ALL_CODES, LANGUAGES

pytestmark = pytest.mark.usefixtures("plans")

SMS_BODY = "<<companyname>>: parcel <<tracking_number>> delivered. Stop: <<unsubscribe_url>>"
EMAIL = {"subject": "Delivered: <<order_number>>", "body": "Hi <<customer_name>>!\n\nBye: <<unsubscribe_url>>"}


def list_url(brand):
    return f"/api/v1/brands/{brand.pk}/templates/"


def detail_url(brand, channel="sms", status="delivered", language="en"):
    return f"/api/v1/brands/{brand.pk}/templates/{channel}/{status}/{language}/"


def preview_url(brand):
    return f"/api/v1/brands/{brand.pk}/templates/preview/"


def make_shipment(brand, **fields):
    defaults = {
        "carrier": "dhl", "tracking_number": "JVGL0001", "order_number": "A-1001", "recipient_name": "Jo Smit",
        "recipient_phone": "+31612345678", "recipient_email": "jo@example.com", "language": "en",
        "to_country": "NL", "expected_delivery": dt.date(2099, 5, 14),
    }
    return Shipment.objects.create(brand=brand, **{**defaults, **fields})


# --- list --------------------------------------------------------------------------------------


def test_the_list_has_every_channel_status_and_language(api, brand):
    response = api.get(list_url(brand))

    assert response.status_code == 200
    entries = response.json()
    assert len(entries) == 3 * len(ALL_CODES) * len(LANGUAGES)
    assert {(e["channel"], e["status"], e["language"]) for e in entries} == {
        (c, s, lang) for c in ("email", "sms", "whatsapp") for s in ALL_CODES for lang in LANGUAGES
    }
    assert all(entry["is_default"] for entry in entries)


def test_the_list_merges_overrides_over_defaults(api, brand):
    TemplateOverrideFactory(brand=brand, channel="sms", status="delivered", language="fr", body=SMS_BODY)

    entries = api.get(list_url(brand), {"channel": "sms", "status": "delivered"}).json()

    by_language = {entry["language"]: entry for entry in entries}
    assert len(entries) == len(LANGUAGES)
    assert by_language["fr"]["body"] == SMS_BODY and by_language["fr"]["is_default"] is False
    assert by_language["en"]["body"] == default_template("sms", "delivered", "en").body
    assert by_language["en"]["is_default"] is True


def test_whatsapp_entries_show_the_platform_template_with_tags(api, brand):
    entries = api.get(list_url(brand), {"channel": "whatsapp", "status": "delivered", "language": "nl"}).json()

    assert len(entries) == 1
    entry = entries[0]
    assert entry["is_default"] is True and entry["subject"] == ""
    assert entry["body"].startswith("Hallo <<customer_name>>, je bestelling <<order_number>> bij <<companyname>>")
    assert "{{" not in entry["body"]
    assert entry["body"].endswith("Antwoord STOP om je af te melden\n[Afmelden] <<unsubscribe_url>>")


def test_sms_entries_carry_their_segment_count(api, brand):
    TemplateOverrideFactory(brand=brand, channel="sms", status="delivered", language="en", body=SMS_BODY + " é€")

    entries = api.get(list_url(brand), {"status": "delivered", "language": "en"}).json()

    by_channel = {entry["channel"]: entry for entry in entries}
    assert "segments" not in by_channel["email"] and "segments" not in by_channel["whatsapp"]
    expected = sms_segments(render(SMS_BODY + " é€", tag_values(
        brand=brand, channel="sms", status="delivered", language="en")))
    assert by_channel["sms"]["segments"] == {
        "encoding": "GSM-7", "characters": expected.characters, "segments": expected.segments
    }
    assert expected.characters > len(SMS_BODY)  # counted with the tags filled in


def test_an_unknown_filter_value_is_refused(api, brand):
    response = api.get(list_url(brand), {"channel": "fax"})

    assert response.status_code == 400 and "channel" in response.json()


def test_the_list_costs_a_fixed_number_of_queries(api, brand, django_assert_max_num_queries):
    for status in ALL_CODES:
        TemplateOverrideFactory(brand=brand, channel="sms", status=status, language="en", body=SMS_BODY)
        TemplateOverrideFactory(brand=brand, channel="email", status=status, language="de", **EMAIL)

    with django_assert_max_num_queries(4):  # API key, brand, overrides (+ slack for the key's touch)
        response = api.get(list_url(brand))

    assert response.status_code == 200
    assert sum(not entry["is_default"] for entry in response.json()) == 2 * len(ALL_CODES)


# --- PUT / DELETE ------------------------------------------------------------------------------


def test_an_sms_override_is_saved_and_listed(api, brand):
    response = api.put(detail_url(brand), {"body": SMS_BODY}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["body"] == SMS_BODY and response.json()["is_default"] is False
    assert response.json()["segments"]["encoding"] == "GSM-7"
    assert TemplateOverride.objects.for_account(brand.account).get().body == SMS_BODY


def test_an_email_override_needs_a_subject(api, brand):
    refused = api.put(detail_url(brand, "email"), {"body": EMAIL["body"]}, format="json")
    saved = api.put(detail_url(brand, "email"), EMAIL, format="json")

    assert refused.status_code == 400 and refused.json()["code"] == "required" and "subject" in refused.json()
    assert saved.status_code == 200 and saved.json()["subject"] == EMAIL["subject"]


def test_a_second_put_replaces_the_override(api, brand):
    api.put(detail_url(brand), {"body": SMS_BODY}, format="json")
    api.put(detail_url(brand), {"body": "New " + SMS_BODY}, format="json")

    assert TemplateOverride.objects.for_account(brand.account).get().body == "New " + SMS_BODY


@pytest.mark.parametrize(
    "body, named, code",
    [
        ("Hi <<customer>> <<unsubscribe_url>>", "<<customer>>", "invalid_tag"),  # unknown
        ("Hi <<customer name>> <<unsubscribe_url>>", "<<customer name>>", "invalid_tag"),  # malformed: space
        ("Hi <<carrier <<unsubscribe_url>>", "<<carrier", "invalid_tag"),  # malformed: never closed
        ("Hi <<a<<carrier>>b>> <<unsubscribe_url>>", "<<a<<carrier>>b>>", "invalid_tag"),  # nested
        ("Hi[[ <<customer_name>>, bye <<unsubscribe_url>>", "is never closed", "invalid_optional_part"),
        ("Hi <<customer_name>>]], bye <<unsubscribe_url>>", "never opened", "invalid_optional_part"),
        ("[[Free returns!]] <<unsubscribe_url>>", "has no tag", "invalid_optional_part"),
        ("[[a [[<<eta>>]] b]] <<unsubscribe_url>>", "cannot be nested", "invalid_optional_part"),
    ],
)
def test_a_bad_tag_or_optional_part_is_refused_naming_the_field_and_the_problem(api, brand, body, named, code):
    response = api.put(detail_url(brand), {"body": body}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert named in response.json()["body"][0]
    assert not TemplateOverride.objects.for_account(brand.account).exists()


def test_the_unsubscribe_link_cannot_hide_in_an_optional_part(api, brand):
    response = api.put(detail_url(brand), {"body": "Bye[[ <<customer_name>>: <<unsubscribe_url>>]]"}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "invalid_optional_part"
    assert "<<unsubscribe_url>>" in response.json()["body"][0]


def test_a_saved_optional_part_leaves_out_what_a_shipment_lacks(api, brand):
    shipment = make_shipment(brand, recipient_name="", expected_delivery=None)
    body = "Hi[[ <<customer_name>>]], on its way.[[ Expected: <<eta>>.]] Stop: <<unsubscribe_url>>"

    saved = api.put(detail_url(brand), {"body": body}, format="json")
    preview = api.post(preview_url(brand), {"channel": "sms", "status": "delivered", "shipment": shipment.pk},
                       format="json")

    assert saved.status_code == 200, saved.json()
    assert preview.json()["body"].startswith("Hi, on its way. Stop: https://parcelcast.test/s/")


def test_a_bad_tag_in_the_subject_is_refused_naming_subject(api, brand):
    response = api.put(detail_url(brand, "email"), {**EMAIL, "subject": "Order <<ordernumber>>"}, format="json")

    assert response.status_code == 400
    assert "<<ordernumber>>" in response.json()["subject"][0]
    assert "did you mean <<order_number>>" in response.json()["subject"][0]


def test_huge_input_is_refused_quickly_without_saving(api, brand):
    response = api.put(detail_url(brand, "email"), {**EMAIL, "body": "<<" * 500_000}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "too_long"
    assert not TemplateOverride.objects.for_account(brand.account).exists()


def test_many_bad_tags_give_a_bounded_error(api, brand):
    response = api.put(detail_url(brand, "email"), {**EMAIL, "body": "<<x>> " * 2000}, format="json")

    assert response.status_code == 400
    assert len(response.json()["body"][0]) < 10_000


def test_an_override_must_keep_the_unsubscribe_link(api, brand):
    response = api.put(detail_url(brand), {"body": "<<companyname>>: delivered."}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "unsubscribe_required"


def test_a_multi_line_subject_is_refused(api, brand):
    response = api.put(detail_url(brand, "email"), {**EMAIL, "subject": "Hi\r\nBcc: x@example.com"}, format="json")

    assert response.status_code == 400 and "subject" in response.json()


def test_whatsapp_templates_cannot_be_edited(api, brand):
    put = api.put(detail_url(brand, "whatsapp"), {"body": SMS_BODY}, format="json")
    delete = api.delete(detail_url(brand, "whatsapp"))

    for response in (put, delete):
        assert response.status_code == 400
        assert response.json() == {
            "channel": ["WhatsApp messages use approved platform templates and cannot be edited."],
            "code": "not_editable",
        }


@pytest.mark.parametrize("path", [("fax", "delivered", "en"), ("sms", "lost", "en"), ("sms", "delivered", "pt")])
def test_an_unknown_channel_status_or_language_is_404(api, brand, path):
    assert api.put(detail_url(brand, *path), {"body": SMS_BODY}, format="json").status_code == 404


def test_delete_returns_to_the_default(api, brand):
    TemplateOverrideFactory(brand=brand, body=SMS_BODY)

    response = api.delete(detail_url(brand))

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert response.json()["body"] == default_template("sms", "delivered", "en").body
    assert not TemplateOverride.objects.for_account(brand.account).exists()


def test_templates_of_another_account_answer_404(api, outsider_api, brand):
    TemplateOverrideFactory(brand=brand, body=SMS_BODY)

    assert outsider_api.get(list_url(brand)).status_code == 404
    assert outsider_api.put(detail_url(brand), {"body": "x <<unsubscribe_url>>"}, format="json").status_code == 404
    assert outsider_api.delete(detail_url(brand)).status_code == 404
    assert outsider_api.post(preview_url(brand), {"channel": "sms", "status": "delivered"}, format="json").status_code == 404
    assert TemplateOverride.objects.for_account(brand.account).get().body == SMS_BODY


def test_overrides_of_one_brand_do_not_show_for_another(api, account, brand):
    TemplateOverrideFactory(brand=brand, body=SMS_BODY)
    other = BrandFactory(account=account)

    entries = api.get(list_url(other), {"channel": "sms", "status": "delivered", "language": "en"}).json()

    assert entries[0]["is_default"] is True


# --- preview -----------------------------------------------------------------------------------


def test_a_preview_renders_a_real_shipment_of_the_brand(api, brand):
    shipment = make_shipment(brand)

    response = api.post(preview_url(brand), {
        "channel": "sms", "status": "delivered", "language": "en", "shipment": shipment.pk,
        "body": "<<companyname>> <<order_number>> <<carrier>> <<eta>> <<tracking_url>> <<status>>",
    }, format="json")

    assert response.status_code == 200, response.json()
    link = shipment_short_urls(shipment)[0]
    assert response.json()["body"] == f"Acme A-1001 DHL 14 May {link} Delivered"
    assert response.json()["segments"] == {"encoding": "GSM-7", "characters": len(response.json()["body"]),
                                           "segments": 1}
    assert response.json()["segments"]["segments"] == 1


def test_a_preview_without_a_shipment_uses_sample_data_and_the_current_template(api, brand):
    TemplateOverrideFactory(brand=brand, channel="sms", status="delivered", language="en", body=SMS_BODY)

    response = api.post(preview_url(brand), {"channel": "sms", "status": "delivered", "language": "en"},
                        format="json")

    assert response.status_code == 200
    assert response.json()["body"].startswith("Acme: parcel JVGL06123456789012 delivered. Stop: https://parcelcast.test/s/")


def test_a_preview_with_a_shipment_of_another_account_is_refused(api, brand, outsider):
    foreign = make_shipment(BrandFactory(account=outsider))

    response = api.post(preview_url(brand), {"channel": "sms", "status": "delivered", "shipment": foreign.pk},
                        format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "not_found" and "shipment" in response.json()


def test_a_preview_with_a_bad_tag_names_the_tag(api, brand):
    response = api.post(preview_url(brand), {"channel": "sms", "status": "delivered", "body": "Hi <<nmae>>"},
                        format="json")

    assert response.status_code == 400
    assert "<<nmae>>" in response.json()["body"][0]


def test_an_email_preview_escapes_shop_data_in_its_html(api, brand):
    shipment = make_shipment(brand, recipient_name='<script>alert("x")</script>', order_number="<b>1</b>")

    response = api.post(preview_url(brand), {
        "channel": "email", "status": "delivered", "shipment": shipment.pk,
        "subject": "Order <<order_number>>", "body": "Hi <<customer_name>>,\n\nSee <<tracking_url>>",
    }, format="json")

    html = response.json()["html"]
    assert response.status_code == 200
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://parcelcast.test/track/' in html
    assert response.json()["subject"] == "Order <b>1</b>"  # plain text: escaped by whoever shows it


def test_a_whatsapp_preview_shows_the_approved_template(api, brand):
    response = api.post(preview_url(brand), {"channel": "whatsapp", "status": "delivered", "language": "fr"},
                        format="json")

    assert response.status_code == 200
    assert response.json()["body"].startswith("Bonjour Alex Morgan, votre commande #10428 chez Acme a été livrée.")
    assert "html" not in response.json() and "segments" not in response.json()


def test_a_whatsapp_preview_of_a_custom_body_is_refused(api, brand):
    response = api.post(preview_url(brand), {"channel": "whatsapp", "status": "delivered", "body": "Hi"},
                        format="json")

    assert response.status_code == 400 and response.json()["code"] == "not_editable"


def test_a_preview_uses_the_shipments_language_when_none_is_given(api, brand):
    shipment = make_shipment(brand, language="de")

    response = api.post(preview_url(brand), {"channel": "email", "status": "delivered", "shipment": shipment.pk},
                        format="json")

    assert response.json()["subject"] == render(
        default_template("email", "delivered", "de").subject, {"order_number": "A-1001"}
    )
