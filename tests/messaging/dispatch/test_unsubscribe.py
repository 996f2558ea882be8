import pytest

from messaging.dispatch.sending import outbound
from messaging.models import OptOut
from messaging.optout_tokens import make_optout_token
from messaging.providers.whatsapp import build_payload
from messaging.whatsapp_templates import unsubscribe_button_url
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(account):
    return BrandFactory(account=account, name="Trailhead")


def test_the_link_shows_a_confirmation_without_unsubscribing(client, brand):
    response = client.get(f"/unsubscribe/{make_optout_token(brand.pk, 'Sanne@Example.com')}/")

    assert response.status_code == 200
    assert b"Trailhead" in response.content and b"s\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2@example.com" in response.content
    assert not OptOut.objects.exists()


def test_posting_the_confirmation_opts_out_of_that_brand_only(client, brand, account):
    other = BrandFactory(account=account)

    response = client.post(f"/unsubscribe/{make_optout_token(brand.pk, 'sanne@example.com')}/")

    assert response.status_code == 200
    assert list(OptOut.objects.values_list("brand_id", "recipient", "source")) == [
        (brand.pk, "sanne@example.com", "link")
    ]
    assert not OptOut.objects.filter(brand=other).exists()


def test_one_click_unsubscribe_works_without_a_csrf_token(brand):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/unsubscribe/{make_optout_token(brand.pk, '+31612345678')}/",
                           {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert OptOut.objects.filter(recipient="+31612345678").exists()


def test_a_tampered_token_is_a_404_and_changes_nothing(client, brand):
    token = make_optout_token(brand.pk, "+31612345678")

    response = client.post(f"/unsubscribe/{token[:-2]}xx/")

    assert response.status_code == 404
    assert not OptOut.objects.exists()


def test_a_whatsapp_message_carries_the_link_in_its_unsubscribe_button(client, settings, queued_whatsapp):
    message = queued_whatsapp(1)[0]
    payload = build_payload(outbound(message))

    (button,) = [c for c in payload["template"]["components"] if c["type"] == "button"]
    assert (button["sub_type"], button["index"]) == ("url", "0")
    link = unsubscribe_button_url().replace("{{1}}", button["parameters"][0]["text"])
    assert link.startswith(settings.PUBLIC_BASE_URL)
    client.post(link.removeprefix(settings.PUBLIC_BASE_URL))
    assert list(OptOut.objects.values_list("brand_id", "recipient")) == [(message.brand_id, message.recipient)]
