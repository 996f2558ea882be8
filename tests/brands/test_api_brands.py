import pytest

from brands.models import Brand
from tests.conftest import client_for
from tests.factories import ApiKeyFactory, BrandFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Trailhead",
    "slug": "trailhead",
    "whatsapp_number": "+31612345678",
    "support_email": "help@trailhead.example",
    "default_language": "nl",
    "primary_color": "#0f766e",
}


def test_creating_a_brand_returns_it_with_an_id(api, account):
    response = api.post("/api/v1/brands/", VALID, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] and body["slug"] == "trailhead" and body["whatsapp_number"] == "+31612345678"
    assert Brand.objects.for_account(account).count() == 1


def test_listing_brands_is_paginated_and_shows_only_the_accounts_own(api, account, outsider):
    BrandFactory.create_batch(2, account=account)
    BrandFactory(account=outsider)

    body = api.get("/api/v1/brands/").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2


@pytest.mark.parametrize(
    "field, value",
    [
        ("whatsapp_number", "0612345678"),
        ("whatsapp_number", "+3161234"),
        ("support_email", "not-an-email"),
        ("default_language", "xx"),
        ("primary_color", "teal"),
        ("slug", "Has Spaces"),
        ("name", ""),
    ],
)
def test_bad_brand_input_is_refused_naming_the_field_and_nothing_is_saved(api, account, field, value):
    response = api.post("/api/v1/brands/", {**VALID, field: value}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Brand.objects.for_account(account).exists()


def test_a_slug_taken_by_any_account_is_refused(api, outsider):
    BrandFactory(account=outsider, slug="trailhead")

    response = api.post("/api/v1/brands/", VALID, format="json")

    assert response.status_code == 400
    assert "slug" in response.json()


def test_patching_a_brand_changes_only_the_given_fields(api, brand):
    response = api.patch(f"/api/v1/brands/{brand.pk}/", {"name": "Acme Outdoor"}, format="json")

    assert response.status_code == 200
    brand.refresh_from_db()
    assert brand.name == "Acme Outdoor" and brand.slug == "acme"


def test_patching_with_a_bad_phone_changes_nothing(api, brand):
    response = api.patch(f"/api/v1/brands/{brand.pk}/", {"name": "New", "whatsapp_number": "12"}, format="json")

    assert response.status_code == 400 and "whatsapp_number" in response.json()
    brand.refresh_from_db()
    assert brand.name == "Acme"


def test_deleting_a_brand_answers_204_and_it_is_gone_for_the_account(api, account, brand):
    assert api.delete(f"/api/v1/brands/{brand.pk}/").status_code == 204

    assert api.get(f"/api/v1/brands/{brand.pk}/").status_code == 404
    assert api.get("/api/v1/brands/").json()["count"] == 0
    assert Brand.objects.get(pk=brand.pk).deleted_at is not None  # kept for its charges and invoice lines


def test_deleting_a_brand_twice_answers_404(api, brand):
    assert api.delete(f"/api/v1/brands/{brand.pk}/").status_code == 204
    assert api.delete(f"/api/v1/brands/{brand.pk}/").status_code == 404


def test_deleting_another_accounts_brand_answers_404_and_changes_nothing(api, outsider):
    foreign = BrandFactory(account=outsider)

    assert api.delete(f"/api/v1/brands/{foreign.pk}/").status_code == 404

    foreign.refresh_from_db()
    assert foreign.deleted_at is None


def test_a_brand_with_charges_is_deleted_too_and_its_charges_stay(api, account, brand):
    from billing.models import Charge
    from tests.factories import ChargeFactory

    ChargeFactory(account=account, brand=brand)

    assert api.delete(f"/api/v1/brands/{brand.pk}/").status_code == 204
    assert Charge.objects.filter(brand=brand).count() == 1


def test_a_members_panel_session_may_not_delete_a_brand(client, account, brand):
    from brands.models import Role
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory(account=account, role=Role.MEMBER).user)

    assert client.delete(f"/api/v1/brands/{brand.pk}/").status_code == 403
    brand.refresh_from_db()
    assert brand.deleted_at is None


def test_a_deleted_brands_shipments_are_not_listed_and_new_ones_are_refused(api, brand):
    from tests.factories import ShipmentFactory

    shipment = ShipmentFactory(brand=brand)
    api.delete(f"/api/v1/brands/{brand.pk}/")

    assert api.get("/api/v1/shipments/").json()["count"] == 0
    assert api.get(f"/api/v1/shipments/{shipment.pk}/").status_code == 404
    created = api.post("/api/v1/shipments/", {"brand": brand.pk, "carrier": "sandbox", "tracking_number": "NEW1",
                                             "recipient_email": "a@example.com"}, format="json")
    assert created.status_code == 400 and "brand" in created.json()


def test_a_new_brand_may_take_a_deleted_brands_slug(api, brand):
    api.delete(f"/api/v1/brands/{brand.pk}/")

    response = api.post("/api/v1/brands/", {**VALID, "slug": "acme"}, format="json")

    assert response.status_code == 201, response.json()


def test_a_request_without_a_key_is_401(client, db):
    response = client.get("/api/v1/brands/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer pc_abc_def", "Bearer pc__", "Bearer "])
def test_a_wrong_key_is_401(client, api_key, header):
    assert client.get("/api/v1/brands/", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_key_with_the_right_prefix_but_wrong_secret_is_401(client, api_key):
    forged = f"pc_{api_key.prefix}_{'x' * 43}"
    assert client.get("/api/v1/brands/", HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401


def test_a_revoked_key_is_401(account):
    from django.utils import timezone

    key = ApiKeyFactory(account=account, revoked_at=timezone.now())
    response = client_for(key).get("/api/v1/brands/")

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_using_a_key_records_when_it_was_last_used(api, api_key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.get("/api/v1/brands/")

    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_the_panel_session_also_authenticates_the_api(panel, brand):
    response = panel.get("/api/v1/brands/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
