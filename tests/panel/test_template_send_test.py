""""Send me a test" in the template editor, and a preview that always shows what is typed."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from messaging.models import Message, TemplateOverride

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TYPED = {"status": "delivered", "language": "en", "subject": "Typed <<order_number>> subject",
         "body": "Just typed: <<companyname>> delivered it.\n\nBye: <<unsubscribe_url>>"}


def send_test(brand, channel="email"):
    return reverse("panel:template-send-test", args=[brand.pk, channel])


def test_send_me_a_test_mails_the_typed_text_to_the_members_own_address(panel, brand, django_user_model):
    member = django_user_model.objects.get(pk=panel.session["_auth_user_id"])

    response = panel.post(send_test(brand), TYPED, **HTMX)

    assert response.status_code == 200, response.content.decode()
    assert f"Test sent to {member.email}" in response.content.decode()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [member.email]
    assert sent.subject == "[Test] Typed #10428 subject"
    assert "Just typed: Acme delivered it." in sent.body
    html = sent.alternatives[0][0]
    assert "Just typed: Acme delivered it." in html and "Track your parcel" in html
    assert not TemplateOverride.objects.exists() and not Message.objects.exists()  # nothing saved, nothing counted


def test_a_test_of_a_text_with_an_unknown_tag_is_refused_and_nothing_is_sent(panel, brand):
    response = panel.post(send_test(brand), {**TYPED, "body": "Hi <<customer_nmae>> <<unsubscribe_url>>"}, **HTMX)

    assert response.status_code == 400
    assert "&lt;&lt;customer_nmae&gt;&gt;" in response.content.decode()
    assert mail.outbox == []


def test_tests_are_sent_by_email_only(panel, brand):
    assert panel.post(send_test(brand, "sms"), TYPED, **HTMX).status_code == 404


def test_the_email_editor_offers_send_me_a_test(panel, brand):
    html = panel.get(reverse("panel:template-editor", args=[brand.pk, "email"])).content.decode()

    assert 'id="send-test"' in html and send_test(brand) in html


def test_the_preview_follows_every_kind_of_edit_not_only_keys(panel, brand):
    html = panel.get(reverse("panel:template-editor", args=[brand.pk, "sms"])).content.decode()

    # input: typing, pasting with the mouse, drag and drop, undo, the tag palette
    assert 'hx-trigger="input changed delay:300ms"' in html and "keyup" not in html


def test_after_a_refused_save_the_preview_shows_the_typed_text_not_the_saved_one(panel, brand):
    response = panel.post(reverse("panel:template-editor", args=[brand.pk, "sms"]), {
        "status": "delivered", "language": "en", "body": "<<companyname>>: typed and not saved",
    })

    assert response.status_code == 200 and not TemplateOverride.objects.exists()
    assert response.context["preview"].body == "Acme: typed and not saved"
    assert "Acme: typed and not saved" in unescape(response.content.decode())
