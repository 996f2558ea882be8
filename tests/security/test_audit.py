"""The audit log records who changed notification settings, consent, plans, API keys and
templates; the owner reads it through the API, admins read it (only) in the admin."""

import pytest

from brands.audit import Actor, audit_record
from brands.models import AuditEvent
from brands.services import account_change_plan, api_key_create, api_key_revoke
from tests.factories import AccountFactory, BrandFactory, MembershipFactory, UserFactory
from tests.factories.billing import seed_default_plans

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plans(db):
    seed_default_plans()


def actions(account):
    return list(AuditEvent.objects.for_account(account).order_by("pk").values_list("action", "actor_label"))


def test_api_changes_are_recorded_with_the_api_key_as_actor(api, api_key, account):
    brand = BrandFactory(account=account)
    key_label = f"API key pc_{api_key.prefix}"

    api.post("/api/v1/account/whatsapp-consent/", {"accept_pricing": True, "accept_phone_data_use": True},
             format="json")
    api.put(f"/api/v1/brands/{brand.pk}/notifications/sms/", {"enabled": True, "countries": {"NL": {}}},
            format="json")
    api.put(f"/api/v1/brands/{brand.pk}/templates/sms/delivered/en/",
            {"body": "<<companyname>>: delivered. <<unsubscribe_url>>"}, format="json")
    api.delete(f"/api/v1/brands/{brand.pk}/templates/sms/delivered/en/")

    assert actions(account) == [
        ("consent.whatsapp", key_label), ("notifications.update", key_label),
        ("template.save", key_label), ("template.reset", key_label),
    ]
    change = AuditEvent.objects.get(action="notifications.update")
    assert change.details["before"]["enabled"] is False and change.details["after"]["countries"]["NL"]["delivered"]
    assert change.api_key_id == api_key.pk and change.ip == "127.0.0.1"


def test_plan_and_api_key_changes_are_recorded(account):
    owner = MembershipFactory(account=account).user
    key, _ = api_key_create(account=account, name="ERP", created_by=owner)
    api_key_revoke(account=account, key_id=key.pk, actor=Actor(user=owner))
    account_change_plan(account=account, plan="premium", actor=Actor(user=owner))

    assert [a for a, _ in actions(account)] == ["api_key.create", "api_key.revoke", "plan.change"]
    plan = AuditEvent.objects.get(action="plan.change")
    assert plan.user == owner and plan.details == {"before": {"plan": "growth"}, "after": {"plan": "premium"}}


def test_panel_changes_without_an_explicit_actor_are_attributed_to_the_logged_in_member(client, account):
    owner = MembershipFactory(account=account).user
    client.force_login(owner)
    response = client.post("/app/settings/keys/", {"name": "Shop"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="api_key.create")
    assert event.user == owner and event.actor_label == owner.email


def test_outside_a_request_the_actor_is_the_system(account):
    event = audit_record(account=account, action="test.system")
    assert event.actor_label == "system" and event.user is None


def test_the_owner_lists_the_account_audit_log_and_never_another_accounts(api, account, outsider):
    audit_record(account=account, action="mine")
    audit_record(account=outsider, action="theirs")

    response = api.get("/api/v1/audit-events/")

    assert response.status_code == 200
    assert [event["action"] for event in response.json()["results"]] == ["mine"]


def test_admins_read_the_audit_log_but_cannot_change_it(client, account):
    event = audit_record(account=account, action="mine")
    client.force_login(UserFactory(username="root@parcelcast.example", is_staff=True, is_superuser=True))

    assert client.get("/admin/brands/auditevent/").status_code == 200
    assert client.get(f"/admin/brands/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/brands/auditevent/add/").status_code == 403
    assert client.post(f"/admin/brands/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_member_of_another_account_never_sees_the_log(client):
    stranger = MembershipFactory(account=AccountFactory()).user
    client.force_login(stranger)
    response = client.get("/api/v1/audit-events/")
    assert response.status_code == 200 and response.json()["results"] == []


def test_invoice_issue_pay_and_void_are_recorded(account):
    from billing.invoice_services import invoice_issue, invoice_mark_paid, invoice_void
    from tests.factories import InvoiceFactory

    paid = InvoiceFactory(account=account)
    invoice_issue(invoice_id=paid.pk)
    invoice_mark_paid(invoice_id=paid.pk)
    voided = InvoiceFactory(account=account, period=paid.period.replace(month=2))
    invoice_void(invoice_id=voided.pk, reason="duplicate")

    events = AuditEvent.objects.for_account(account).filter(object_type="invoice").order_by("pk")
    assert [(e.action, e.details["before"]["status"], e.details["after"]["status"]) for e in events] == [
        ("invoice.issue", "draft", "issued"), ("invoice.pay", "issued", "paid"), ("invoice.void", "draft", "void"),
    ]
    assert events[2].details["reason"] == "duplicate" and events[0].actor_label == "system"
