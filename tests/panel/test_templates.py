"""The template editor: live preview, bad tags named, SMS segments, save, reset, WhatsApp read-only."""

from html import unescape

import pytest
from django.urls import reverse

from messaging.models import TemplateOverride

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def editor(brand, channel):
    return reverse("panel:template-editor", args=[brand.pk, channel])


def preview(brand, channel):
    return reverse("panel:template-preview", args=[brand.pk, channel])


def test_the_preview_fills_the_tags_as_the_merchant_types(panel, brand):
    response = panel.post(preview(brand, "sms"), {
        "status": "delivered", "language": "en", "body": "<<companyname>>: order <<order_number>> is here!",
    }, **HTMX)

    html = unescape(response.content.decode())
    assert "Acme: order #10428 is here!" in html
    assert "1 SMS segment" in html and "GSM-7" in html


def test_an_unknown_tag_is_named_in_the_preview(panel, brand):
    response = panel.post(preview(brand, "sms"), {"status": "delivered", "body": "Hi <<customer_nmae>>"}, **HTMX)

    html = unescape(response.content.decode())
    assert 'role="alert"' in html
    assert "<<customer_nmae>>" in html and "<<customer_name>>" in html  # named, with the likely fix


def test_a_long_sms_counts_its_segments(panel, brand):
    response = panel.post(preview(brand, "sms"), {"status": "delivered", "body": "é" * 150 + "😀"}, **HTMX)
    html = unescape(response.content.decode())
    assert "3 SMS segments" in html and "UCS-2" in html


def test_saving_a_bad_tag_shows_the_error_beside_the_message_and_saves_nothing(panel, brand):
    response = panel.post(editor(brand, "sms"), {
        "status": "delivered", "language": "en", "body": "<<companyname>>: delivered <<trackinglink>> <<unsubscribe_url>>",
    })

    assert response.status_code == 200
    assert "<<trackinglink>>" in response.context["form"].errors["body"][0]
    assert 'id="id_body_error"' in response.content.decode()
    assert not TemplateOverride.objects.exists()


def test_the_editor_explains_optional_parts_and_marks_the_tags_that_may_be_empty(panel, brand):
    html = unescape(panel.get(editor(brand, "sms"), {"status": "in_transit", "language": "en"}).content.decode())

    assert "Optional parts" in html
    assert "Hi[[ <<customer_name>>]], reads “Hi Alex,”, or “Hi,” without the value" in html.replace("</code>", "")
    assert 'title="Expected delivery date (may be empty)"' in html
    assert 'title="Tracking number"' in html


def test_saving_a_broken_optional_part_shows_the_problem_beside_the_message(panel, brand):
    response = panel.post(editor(brand, "sms"), {
        "status": "delivered", "language": "en", "body": "<<companyname>>: [[Sale!]] <<unsubscribe_url>>",
    })

    assert "[[Sale!]] has no tag" in response.context["form"].errors["body"][0]
    assert not TemplateOverride.objects.exists()


def test_saving_then_resetting_a_template(panel, brand):
    body = "<<companyname>>: parcel <<tracking_number>> delivered. Stop: <<unsubscribe_url>>"
    response = panel.post(editor(brand, "sms"), {"status": "delivered", "language": "fr", "body": body})

    assert response.status_code == 302 and "status=delivered&language=fr" in response.url
    assert TemplateOverride.objects.get(brand=brand, channel="sms", status="delivered", language="fr").body == body
    page = panel.get(response.url).content.decode()
    assert "Your text" in page and "Reset to default" in page

    reset = panel.post(reverse("panel:template-reset", args=[brand.pk, "sms"]), {"status": "delivered", "language": "fr"})
    assert reset.status_code == 302
    assert not TemplateOverride.objects.exists()


def test_an_email_needs_a_subject(panel, brand):
    response = panel.post(editor(brand, "email"), {
        "status": "delivered", "language": "en", "subject": "", "body": "Hi <<unsubscribe_url>>",
    })
    assert response.context["form"].errors["subject"] == ["An e-mail needs a subject."]


def test_the_email_preview_is_the_branded_email_in_a_sandboxed_frame(panel, brand):
    html = panel.get(editor(brand, "email") + "?status=delivered").content.decode()
    start = html.index('<iframe title="E-mail preview" sandbox srcdoc="') + len('<iframe title="E-mail preview" sandbox srcdoc="')
    document = html[start:html.index('"></iframe>', start)]
    assert document.startswith("&lt;!doctype html&gt;")  # the whole e-mail, escaped into the attribute
    assert "<" not in document and '"' not in document
    assert "background:#112233" in unescape(document)  # the brand's colour heads the e-mail


def test_whatsapp_shows_the_fixed_template_and_its_parameters_read_only(panel, brand):
    html = unescape(panel.get(editor(brand, "whatsapp") + "?status=out_for_delivery").content.decode())
    assert 'class="readonly-template"' in html and "<<tracking_url>>" in html
    assert "<textarea" not in html
    assert "Acme" in html  # the preview fills the parameters with the brand and sample data
    refused = panel.post(editor(brand, "whatsapp"), {"status": "delivered", "body": "x"})
    assert "cannot be edited" in unescape(refused.content.decode())
