"""A brand's own number in the account's export (never its token), and gone with the account even
when billing records keep a closed shell of its brands."""

import json

import pytest

from billing.models import Invoice
from messaging.models import WhatsAppSender
from tests.factories import InvoiceFactory, InvoiceLineFactory
from tests.factories.messaging import WhatsAppSenderFactory

pytestmark = pytest.mark.django_db
TOKEN = "EAAGm0PX4ZCpsBAexportToken0123456789"


def test_the_export_lists_the_brands_own_number_without_its_token(api, brand):
    WhatsAppSenderFactory(brand=brand, token=TOKEN, phone_number_id="106540352242922")

    response = api.get("/api/v1/account/export/")
    raw = b"".join(response.streaming_content).decode()

    assert json.loads(raw)["whatsapp_senders"][0]["phone_number_id"] == "106540352242922"
    assert TOKEN not in raw and "access_token" not in raw


def test_a_closed_accounts_brands_keep_no_access_token(api, account, brand):
    WhatsAppSenderFactory(brand=brand, token=TOKEN)
    invoice = InvoiceFactory(account=account, issued=True)
    InvoiceLineFactory(invoice=invoice, brand=brand)
    Invoice.objects.filter(pk=invoice.pk).update(status="paid")

    assert api.delete("/api/v1/account/", {"confirm": account.company_name}, format="json").status_code == 204

    assert not WhatsAppSender.objects.exists()
