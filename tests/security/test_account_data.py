"""An owner exports all the account's data and deletes the account."""

import json

import pytest

from billing.models import Charge, Invoice
from brands.models import Account, ApiKey, AuditEvent, Brand, Membership
from messaging.models import Message
from tests.factories import (
    BrandFactory,
    ChargeFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    MembershipFactory,
    MessageFactory,
    ShipmentFactory,
    TemplateOverrideFactory,
    TrackingEventFactory,
)
from tests.factories.brands import Role
from tracking.models import Shipment

pytestmark = pytest.mark.django_db


def export(client):
    response = client.get("/api/v1/account/export/")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def test_the_export_holds_every_part_of_the_account_and_nothing_of_others(api, account, outsider):
    brand = BrandFactory(account=account, name="Acme")
    shipment = ShipmentFactory(brand=brand, recipient_email="sanne@example.com")
    TrackingEventFactory(shipment=shipment, status="in_transit")
    MessageFactory(shipment=shipment, body="Your parcel")
    TemplateOverrideFactory(brand=brand)
    ChargeFactory(account=account, brand=brand)
    InvoiceLineFactory(invoice=InvoiceFactory(account=account, issued=True), brand=brand)
    ShipmentFactory(brand=BrandFactory(account=outsider), recipient_email="other@example.com")

    data = export(api)

    assert data["account"]["company_name"] == account.company_name
    assert [b["name"] for b in data["brands"]] == ["Acme"]
    assert data["shipments"][0]["recipient_email"] == "sanne@example.com"
    assert data["shipments"][0]["events"][0]["status"] == "in_transit"
    assert data["messages"][0]["body"] == "Your parcel"
    assert len(data["templates"]) == 1 and len(data["notification_settings"]) == 3
    assert len(data["charges"]) == 1 and data["invoices"][0]["lines"][0]["quantity"] == 100
    assert all("key_hash" not in key for key in data["api_keys"])
    assert "other@example.com" not in json.dumps(data)


def test_a_member_may_not_export_delete_or_read_the_audit_log(client, account):
    member = MembershipFactory(account=account, role=Role.MEMBER).user
    client.force_login(member)
    assert client.get("/api/v1/account/export/").status_code == 403
    assert client.get("/api/v1/audit-events/").status_code == 403
    response = client.delete("/api/v1/account/", {"confirm": account.company_name}, content_type="application/json")
    assert response.status_code == 403
    assert Account.objects.filter(pk=account.pk).exists()


def test_an_owner_session_may_export(client, account):
    client.force_login(MembershipFactory(account=account, role=Role.OWNER).user)
    assert export(client)["account"]["id"] == account.pk


def test_deletion_needs_the_company_name(api, account):
    response = api.delete("/api/v1/account/", {"confirm": "acme"}, format="json")
    assert response.status_code == 400 and "confirm" in response.json()
    assert api.delete("/api/v1/account/", {}, format="json").status_code == 400
    assert Account.objects.filter(pk=account.pk).exists()


def test_deleting_an_account_without_invoices_removes_everything(api, account, outsider):
    owner = MembershipFactory(account=account).user
    brand = BrandFactory(account=account)
    MessageFactory(shipment=ShipmentFactory(brand=brand))
    kept = ShipmentFactory(brand=BrandFactory(account=outsider))

    response = api.delete("/api/v1/account/", {"confirm": account.company_name}, format="json")

    assert response.status_code == 204
    assert not Account.objects.filter(pk=account.pk).exists()
    assert not Brand.objects.filter(pk=brand.pk).exists() and not Message.objects.exists()
    assert not type(owner).objects.filter(pk=owner.pk).exists()
    assert Shipment.objects.filter(pk=kept.pk).exists()
    assert api.get("/api/v1/brands/").status_code == 401  # its keys are gone too


def test_deletion_is_refused_while_an_issued_invoice_is_unpaid(api, account):
    InvoiceFactory(account=account, issued=True)
    response = api.delete("/api/v1/account/", {"confirm": account.company_name}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unpaid_invoices"
    assert ApiKey.objects.filter(account=account).exists()


def test_paid_invoices_are_kept_with_a_closed_shell_of_the_account(api, account):
    brand = BrandFactory(account=account, name="Acme", support_email="help@acme.example")
    shipment = ShipmentFactory(brand=brand)
    message = MessageFactory(shipment=shipment, channel="whatsapp")
    invoice = InvoiceFactory(account=account, issued=True)
    InvoiceLineFactory(invoice=invoice, brand=brand)
    Invoice.objects.filter(pk=invoice.pk).update(status="paid")
    ChargeFactory(account=account, brand=brand, message=message)

    assert api.delete("/api/v1/account/", {"confirm": account.company_name}, format="json").status_code == 204

    account.refresh_from_db()
    assert account.closed_at is not None
    assert not Membership.objects.filter(account=account).exists() and not ApiKey.objects.filter(account=account)
    assert not Shipment.objects.filter(brand__account=account).exists()
    brand.refresh_from_db()
    assert brand.name == "Acme" and brand.support_email == ""
    assert Invoice.objects.filter(account=account).count() == 1
    assert Charge.objects.get(account=account).message is None
    assert AuditEvent.objects.filter(account=account, action="account.delete").exists()
