"""The brand's settings page: a "WhatsApp number" section to connect the brand's own number
(checked with Meta), see which number sends, and disconnect it; the message log says which
number a brand's WhatsApp messages go from."""

import pytest
import responses
from django.urls import reverse

from messaging.models import WhatsAppSender
from tests.factories import BrandFactory
from tests.factories.messaging import WhatsAppSenderFactory

pytestmark = pytest.mark.django_db
GRAPH = "https://graph.test/v23.0"
NUMBER_ID, TOKEN = "106540352242922", "EAAGm0PX4ZCpsBAbrandOwnToken1234567890"
FORM = {"phone_number_id": NUMBER_ID, "business_account_id": "102290129340398", "access_token": TOKEN}


@pytest.fixture(autouse=True)
def graph_settings(settings):
    settings.WHATSAPP_API_BASE_URL = GRAPH


def test_the_brand_page_offers_to_connect_a_number_while_the_platform_number_sends(panel, brand):
    html = panel.get(reverse("panel:brand-edit", args=[brand.pk])).content.decode()

    assert 'id="whatsapp-number"' in html and "Messages go from Parcelcast's number" in html
    assert reverse("panel:whatsapp-sender-connect", args=[brand.pk]) in html
    assert 'name="access_token"' in html and "Disconnect" not in html


def test_a_member_connects_the_brands_number_and_sees_it_with_its_verified_name(panel, brand):
    with responses.RequestsMock() as meta:
        meta.get(f"{GRAPH}/{NUMBER_ID}", json={"id": NUMBER_ID, "display_phone_number": "+31 20 123 4567",
                                               "verified_name": "Acme Shoes", "quality_rating": "GREEN"})
        response = panel.post(reverse("panel:whatsapp-sender-connect", args=[brand.pk]), FORM)

    assert response.status_code == 302
    html = panel.get(response.url).content.decode()
    assert "+31 20 123 4567" in html and "Acme Shoes" in html
    assert TOKEN not in html
    # the disconnect confirmation says what happens
    assert "will go from Parcelcast's number instead" in html
    assert WhatsAppSender.objects.get(brand=brand).phone_number_id == NUMBER_ID


def test_a_refused_token_is_shown_beside_its_field_and_never_rendered_back(panel, brand):
    with responses.RequestsMock() as meta:
        meta.get(f"{GRAPH}/{NUMBER_ID}", status=401,
                 json={"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}})
        response = panel.post(reverse("panel:whatsapp-sender-connect", args=[brand.pk]), FORM)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_access_token_error"' in html and "Meta refused this access token" in html
    assert TOKEN not in html
    assert not WhatsAppSender.objects.exists()


def test_disconnecting_returns_the_brand_to_the_platform_number(panel, brand):
    WhatsAppSenderFactory(brand=brand)

    response = panel.post(reverse("panel:whatsapp-sender-disconnect", args=[brand.pk]))

    assert response.status_code == 302 and not WhatsAppSender.objects.exists()


def test_another_accounts_brand_is_a_404(panel, outsider):
    foreign = BrandFactory(account=outsider)
    WhatsAppSenderFactory(brand=foreign)

    assert panel.post(reverse("panel:whatsapp-sender-connect", args=[foreign.pk]), FORM).status_code == 404
    assert panel.post(reverse("panel:whatsapp-sender-disconnect", args=[foreign.pk])).status_code == 404
    assert WhatsAppSender.objects.filter(brand=foreign).exists()


def test_the_message_log_of_a_brand_says_which_number_sends(panel, brand, account):
    WhatsAppSenderFactory(brand=brand, display_phone_number="+31 20 123 4567", verified_name="Acme Shoes")
    other = BrandFactory(account=account, name="Other")

    own = panel.get(reverse("panel:message-list"), {"brand": brand.pk}).content.decode()
    platform = panel.get(reverse("panel:message-list"), {"brand": other.pk}).content.decode()

    assert "its own number <strong>+31 20 123 4567</strong>" in own
    assert 'id="sending-number"' in platform and "go from Parcelcast's number" in platform
