"""Brands: create and edit through a ModelForm that calls brands.services; errors beside fields."""

import pytest
from django.urls import reverse

from brands.models import Brand
from tests.factories import BrandFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Trailhead", "slug": "trailhead", "whatsapp_number": "+31612345678",
    "support_email": "help@trailhead.example", "primary_color": "#0f766e",
    "logo_url": "https://trailhead.example/logo.svg", "default_language": "nl",
}


def test_a_member_creates_a_brand_and_goes_on_to_its_tracking_messages(panel, account):
    response = panel.post(reverse("panel:brand-create"), VALID)

    brand = Brand.objects.for_account(account).get(slug="trailhead")
    assert response.status_code == 302
    assert response.url == reverse("panel:notifications", args=[brand.pk, "email"])
    assert (brand.name, brand.default_language, brand.primary_color) == ("Trailhead", "nl", "#0f766e")


def test_brand_errors_are_shown_beside_their_fields(panel, account, outsider):
    BrandFactory(account=outsider, slug="taken")
    response = panel.post(reverse("panel:brand-create"), {
        **VALID, "slug": "taken", "whatsapp_number": "0612", "primary_color": "teal", "support_email": "nope",
    })

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) == {"slug", "whatsapp_number", "primary_color", "support_email"}
    assert "E.164" in errors["whatsapp_number"][0]
    html = response.content.decode()
    assert 'id="id_whatsapp_number_error"' in html and 'aria-invalid="true"' in html
    assert not Brand.objects.for_account(account).exists()


def test_editing_a_brand_saves_through_the_service(panel, brand):
    response = panel.post(reverse("panel:brand-edit", args=[brand.pk]), {**VALID, "slug": brand.slug, "name": "Acme Outdoor"})

    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.name == "Acme Outdoor"


def test_a_refused_edit_keeps_the_stored_name_in_the_heading(panel, brand):
    response = panel.post(reverse("panel:brand-edit", args=[brand.pk]), {**VALID, "slug": "Bad Slug!", "name": "New"})

    assert response.status_code == 200 and response.context["form"].errors["slug"]
    assert "Edit Acme" in response.content.decode()
    brand.refresh_from_db()
    assert brand.name == "Acme"


def test_the_brand_list_shows_the_accounts_brands_only(panel, brand, outsider):
    BrandFactory(account=outsider, name="Not Mine")
    html = panel.get(reverse("panel:brand-list")).content.decode()
    assert "Acme" in html and "Not Mine" not in html
