"""The panel's language: the member's saved choice (Membership.language), else the browser's
(the log-in page's cookie, then Accept-Language), else English; only for /app/ and /accounts/."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from brands.models import Membership
from tests.factories import MembershipFactory
from tests.panel.pages import every_page_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def dashboard_text(client, **headers) -> str:
    response = client.get(reverse("panel:dashboard"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_who_picks_french_sees_the_panel_in_french_after_the_reload(panel, member):
    response = panel.post(reverse("panel:language"), {"language": "fr"}, **HTMX)

    assert response.status_code == 204 and response.headers["HX-Refresh"] == "true"
    assert Membership.objects.get(user=member).language == "fr"
    page = dashboard_text(panel)
    assert '<html lang="fr">' in page
    assert "Tableau de bord" in page and "Expéditions" in page and ">Dashboard<" not in page


def test_the_saved_choice_comes_back_after_logging_out_and_in_again(panel, member):
    panel.post(reverse("panel:language"), {"language": "fr"}, **HTMX)
    panel.post(reverse("logout"))

    fresh = Client()  # no cookie, a browser asking for English: the saved choice wins
    fresh.force_login(member)
    page = dashboard_text(fresh, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="fr">' in page and "Tableau de bord" in page


def test_a_browser_asking_for_german_gets_german_without_a_saved_choice(panel):
    page = dashboard_text(panel, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")

    assert '<html lang="de">' in page and "Sendungen" in page


def test_no_saved_choice_and_no_known_browser_language_is_english(panel):
    page = dashboard_text(panel, HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")

    assert '<html lang="en">' in page and ">Dashboard<" in page


def test_the_choice_is_per_user_a_teammate_stays_in_english(panel, member, account):
    panel.post(reverse("panel:language"), {"language": "fr"}, **HTMX)
    teammate = MembershipFactory(account=account).user
    other = Client()
    other.force_login(teammate)

    assert ">Dashboard<" in dashboard_text(other)
    assert Membership.objects.get(user=teammate).language == ""


def test_follow_the_browser_again_clears_the_saved_choice(panel, member):
    panel.post(reverse("panel:language"), {"language": "fr"}, **HTMX)
    response = panel.post(reverse("panel:language"), {"language": ""}, **HTMX)

    assert response.status_code == 204
    assert Membership.objects.get(user=member).language == ""
    assert "Sendungen" in dashboard_text(panel, HTTP_ACCEPT_LANGUAGE="de")


def test_a_plain_form_post_saves_and_goes_back_to_the_page(panel, member):
    response = panel.post(reverse("panel:language"), {"language": "nl", "next": "/app/shipments/"})

    assert response.status_code == 302 and response.url == "/app/shipments/"
    assert Membership.objects.get(user=member).language == "nl"


def test_a_plain_form_post_never_goes_back_to_another_site(panel):
    response = panel.post(reverse("panel:language"), {"language": "nl", "next": "https://evil.example/"})

    assert response.status_code == 302 and response.url == reverse("panel:settings")


def test_a_language_we_do_not_offer_is_refused_and_nothing_is_saved(panel, member):
    response = panel.post(reverse("panel:language"), {"language": "pt"}, **HTMX)

    assert response.status_code == 422
    assert Membership.objects.get(user=member).language == ""


def test_saving_a_language_needs_a_logged_in_member(client):
    response = client.post(reverse("panel:language"), {"language": "fr"})

    assert response.status_code == 302 and reverse("login") in response.url


def test_the_settings_page_shows_the_saved_choice(panel, member):
    panel.post(reverse("panel:language"), {"language": "it"}, **HTMX)

    form = panel.get(reverse("panel:settings")).context["language_form"]

    assert form.initial["language"] == "it"


def test_the_login_page_picker_sets_the_language_for_a_visitor(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": reverse("login")})
    assert response.status_code == 302

    page = client.get(reverse("login")).content.decode()

    assert '<html lang="de">' in page and "Anmelden" in page


def test_the_login_page_follows_the_browser(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<html lang="es">' in page


def test_the_api_stays_english_whatever_the_member_or_browser_chose(panel, member, api):
    panel.post(reverse("panel:language"), {"language": "fr"}, **HTMX)
    dashboard_text(panel)  # a French page served just before, in this thread

    response = api.get("/api/v1/shipments/999999999/", HTTP_ACCEPT_LANGUAGE="fr")
    anonymous = Client().get("/api/v1/shipments/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404 and "Content-Language" not in response.headers
    assert "Pas" not in response.content.decode()
    assert anonymous.status_code in (401, 403) and "credentials" in anonymous.content.decode().lower()
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_a_panel_answer_says_it_varies_by_language(panel):
    response = panel.get(reverse("panel:dashboard"), HTTP_ACCEPT_LANGUAGE="nl")

    assert response.headers["Content-Language"] == "nl"
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("language", ["fr", "de", "nl", "es", "it"])
def test_every_panel_page_renders_in_each_language(panel, busy_account, brand, language):
    from tracking.models import Shipment

    shipment = Shipment.objects.for_account(busy_account).first()
    for url in every_page_url(brand, shipment):
        response = panel.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == language, url


@pytest.mark.parametrize("url_name", ["login", "signup", "password_reset"])
def test_the_account_pages_render_in_german(client, url_name):
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200 and '<html lang="de">' in response.content.decode()


def test_an_invoice_stays_an_english_document_in_a_german_panel(panel, account):
    from tests.factories import InvoiceFactory, InvoiceLineFactory

    invoice = InvoiceFactory(account=account, issued=True)
    InvoiceLineFactory(invoice=invoice, quantity=1500)

    page = panel.get(reverse("panel:invoice-html", args=[invoice.pk]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    dashboard = dashboard_text(panel, HTTP_ACCEPT_LANGUAGE="de")

    assert "1,500" in page and "1.500" not in page  # English grouping, as in its PDF
    assert "Sendungen" in dashboard
