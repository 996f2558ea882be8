"""Settings: account details, API keys (raw key shown once, revocable), members."""

import pytest
from django.urls import reverse

from brands.models import ApiKey, Role
from tests.factories import ApiKeyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_owner_updates_the_company_details(panel, account):
    response = panel.post(reverse("panel:account-update"),
                          {"company_name": "Acme Outdoor B.V.", "country": "BE", "vat_number": "be 0123 456 789"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.company_name, account.country.code, account.vat_number) == ("Acme Outdoor B.V.", "BE", "BE0123456789")


def test_company_errors_are_shown_beside_their_fields(panel, account):
    response = panel.post(reverse("panel:account-update"), {"company_name": "", "country": "ZZ"})
    errors = response.context["account_form"].errors
    assert response.status_code == 200 and set(errors) == {"company_name", "country"}


def test_a_new_api_key_is_shown_once(panel, account):
    response = panel.post(reverse("panel:key-create"), {"name": "Shopify"})

    key = ApiKey.objects.for_account(account).get(name="Shopify")
    raw = response.context["new_key_raw"]
    assert raw.startswith(f"pc_{key.prefix}_") and raw in response.content.decode()
    assert raw not in panel.get(reverse("panel:settings")).content.decode()


def test_revoking_a_key(panel, account):
    key = ApiKeyFactory(account=account, name="Old ERP")
    response = panel.post(reverse("panel:key-revoke", args=[key.pk]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert "Revoked" in panel.get(reverse("panel:settings")).content.decode()


def test_another_accounts_key_cannot_be_revoked(panel, outsider):
    key = ApiKeyFactory(account=outsider)
    assert panel.post(reverse("panel:key-revoke", args=[key.pk])).status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_members_are_listed_and_only_owners_edit_the_company(client, account, member):
    plain = MembershipFactory(account=account, role=Role.MEMBER).user
    client.force_login(plain)
    html = client.get(reverse("panel:settings")).content.decode()
    assert member.email in html and plain.email in html
    assert "Only an owner can change these." in html
    assert client.post(reverse("panel:account-update"), {"company_name": "Hijack", "country": "NL"}).status_code == 403
