"""Errors raised by services and the e-mails sent from the panel speak the member's panel
language; the API, which never activates another language, answers the same errors in English."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from brands.models import Membership, Plan
from messaging.services.notifications import channel_document_replace
from tests.factories import BrandFactory, WhatsAppConsentFactory
from tests.factories.billing import plans  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plans")]
HTMX = {"HTTP_HX_REQUEST": "true"}


def speaks(member, language):
    Membership.objects.filter(user=member).update(language=language)


def test_a_french_member_sees_a_refused_plan_change_in_french(panel, member, account, brand):
    speaks(member, "fr")
    WhatsAppConsentFactory(account=account)
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={"NL": {}, "BE": {}, "DE": {}})

    response = panel.post(reverse("panel:plan-change"), {"plan": "lite"})

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        "L'offre Lite permet WhatsApp dans 2 pays de destination, mais 3 sont utilisés (BE, DE, NL) : "
        "retirez-en d'abord 1 de WhatsApp."
    ) in html
    assert "but 3 are in use" not in html
    account.refresh_from_db()
    assert account.plan == Plan.GROWTH


def lite_with_two_countries_taken(account):
    account.plan = Plan.LITE
    account.save(update_fields=["plan"])
    WhatsAppConsentFactory(account=account)
    channel_document_replace(
        brand=BrandFactory(account=account), channel="whatsapp", enabled=True, countries={"NL": {}, "BE": {}}
    )
    return BrandFactory(account=account)


def test_the_api_answers_in_english_the_limit_the_panel_shows_in_french(panel, member, api, account):
    speaks(member, "fr")
    brand = lite_with_two_countries_taken(account)
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True, countries={})

    shown = panel.post(
        reverse("panel:notifications-country-add", args=[brand.pk, "whatsapp"]), {"country": "DE"}, **HTMX
    )
    answered = api.put(
        f"/api/v1/brands/{brand.pk}/notifications/whatsapp/",
        {"enabled": True, "countries": {"DE": {}}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert shown.status_code == 422
    assert (
        "L'offre Lite permet WhatsApp dans 2 pays de destination pour l'ensemble du compte "
        "(BE, NL déjà utilisés par d'autres marques) ; passez à l'offre Growth pour davantage."
    ) in unescape(shown.content.decode())
    assert answered.status_code == 400
    assert answered.json() == {
        "countries": [
            (
                "The Lite plan allows WhatsApp in 2 destination countries across the account "
                "(BE, NL already used by other brands); upgrade to Growth for more."
            )
        ],
        "code": "plan_limit",
    }


def test_a_brand_validator_speaks_the_panel_language_and_english_in_the_api(panel, member, api, brand):
    speaks(member, "de")

    shown = panel.post(
        reverse("panel:brand-edit", args=[brand.pk]),
        {"name": brand.name, "slug": "Bad_Slug", "primary_color": "#zz", "default_language": "en"},
    )
    answered = api.patch(f"/api/v1/brands/{brand.pk}/", {"slug": "Bad_Slug", "primary_color": "#zz"}, format="json")

    html = unescape(shown.content.decode())
    assert "Verwenden Sie Kleinbuchstaben, Ziffern und Bindestriche (2–50 Zeichen)." in html
    assert "Geben Sie eine Farbe im Format #RRGGBB ein." in html
    assert answered.status_code == 400
    assert answered.json()["slug"] == ["Use lowercase letters, digits and hyphens (2-50 characters)."]
    assert answered.json()["primary_color"] == ["Enter a colour as #RRGGBB."]


def test_an_invitation_sent_from_a_german_panel_is_in_german(panel, member, account):
    speaks(member, "de")

    response = panel.post(reverse("panel:member-invite"), {"email": "kollegin@acme.example"})

    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.subject == f"{member.email} hat Sie zu {account.company_name} auf Parcelcast eingeladen"
    assert email.body.startswith("Guten Tag,")
    assert "Wählen Sie Ihr Passwort, um beizutreten:" in email.body
    assert "Der Link funktioniert einmal. Ihr Login ist kollegin@acme.example." in email.body
    assert re.search(r"https?://\S+/accounts/invite/\S+", email.body)


def test_a_password_reset_asked_in_french_is_in_french_and_in_english_otherwise(client, member):
    client.post(reverse("password_reset"), {"email": member.email}, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    client.post(reverse("password_reset"), {"email": member.email}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    french, english = mail.outbox
    assert french.subject == "Réinitialisez votre mot de passe Parcelcast"
    assert "Choisissez un nouveau mot de passe ici :" in french.body
    assert english.subject == "Reset your Parcelcast password"
    assert "Choose a new password here:" in english.body
