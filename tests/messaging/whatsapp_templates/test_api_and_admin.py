"""Merchants read the templates their messages use (`GET /api/v1/whatsapp/templates/`); operators
see every template's state and the messages waiting on it in the Django admin."""

import pytest
from django.contrib.auth import get_user_model

from messaging.models import MessageState
from messaging.whatsapp_template_selectors import with_waiting_counts
from tests.factories.messaging import MessageFactory, WhatsAppTemplateFactory
from tests.messaging.whatsapp_templates.meta import WABA

pytestmark = pytest.mark.django_db
URL = "/api/v1/whatsapp/templates/"


@pytest.fixture
def platform(settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA


def held(name, language):
    return MessageFactory(channel="whatsapp", state=MessageState.SCHEDULED, error_code="template_not_approved",
                          whatsapp_template=name, whatsapp_language=language)


def test_merchants_see_the_platform_templates_with_their_state(api, platform):
    WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delivered_v3", language="en", status="APPROVED")
    WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delayed_v3", language="fr", status="PENDING",
                            category="UTILITY", quality="UNKNOWN")
    WhatsAppTemplateFactory(business_account_id="someone-elses-waba", name="secret_v1", language="en")

    response = api.get(URL)

    assert response.status_code == 200
    assert response.json() == [
        {"name": "pc_delayed_v3", "language": "fr", "status": "PENDING", "category": "UTILITY", "quality": "UNKNOWN"},
        {"name": "pc_delivered_v3", "language": "en", "status": "APPROVED", "category": "UTILITY", "quality": "GREEN"},
    ]


def test_without_a_platform_business_account_the_list_is_empty(api, settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = ""
    WhatsAppTemplateFactory(business_account_id=WABA)

    assert api.get(URL).json() == []


def test_a_brand_with_its_own_number_sees_its_business_accounts_templates_too(api, account, platform):
    from tests.factories import BrandFactory
    from tests.factories.messaging import WhatsAppSenderFactory

    WhatsAppSenderFactory(brand=BrandFactory(account=account), business_account_id="waba-own")
    WhatsAppSenderFactory(business_account_id="waba-of-another-account")
    WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delivered_v3", language="en")
    WhatsAppTemplateFactory(business_account_id="waba-own", name="pc_delayed_v3", language="nl", status="PENDING")
    WhatsAppTemplateFactory(business_account_id="waba-of-another-account", name="pc_delivered_v3", language="de")

    listed = {(t["name"], t["language"], t["status"]) for t in api.get(URL).json()}

    assert listed == {("pc_delivered_v3", "en", "APPROVED"), ("pc_delayed_v3", "nl", "PENDING")}


def test_the_list_needs_an_api_key(client, platform):
    assert client.get(URL).status_code in (401, 403)


def test_the_schema_documents_the_route(client):
    schema = client.get("/api/schema/").content.decode()

    assert "/api/v1/whatsapp/templates/" in schema and "WhatsAppTemplate" in schema


def test_each_template_counts_the_messages_waiting_on_it():
    pending = WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delivered_v3", language="en",
                                      status="PENDING")
    WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delivered_v3", language="de", status="APPROVED")
    held("pc_delivered_v3", "en"), held("pc_delivered_v3", "en"), held("pc_delivered_v3", "de")
    MessageFactory(channel="whatsapp", state=MessageState.SCHEDULED, whatsapp_template="pc_delivered_v3",
                   whatsapp_language="en")  # held for quiet hours, not for the template

    counts = {(row.name, row.language): row.waiting for row in with_waiting_counts(pending.__class__.objects.all())}

    assert counts == {("pc_delivered_v3", "en"): 2, ("pc_delivered_v3", "de"): 1}


def test_the_admin_lists_templates_with_their_state_and_waiting_messages(client):
    admin = get_user_model().objects.create_superuser("admin@parcelcast.test", "admin@parcelcast.test", "pw")
    client.force_login(admin)
    WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delivered_v3", language="en", status="PAUSED")
    held("pc_delivered_v3", "en")

    response = client.get("/admin/messaging/whatsapptemplate/?status__exact=PAUSED")

    page = response.content.decode()
    assert response.status_code == 200 and "pc_delivered_v3" in page and "Messages waiting" in page
    assert '<td class="field-waiting">1</td>' in page
