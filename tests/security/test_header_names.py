"""Names that go into e-mail headers are single lines: a brand name (the sender's display name)
or a company name (an invitation's subject) with a line break is refused wherever it is typed,
and never stored, so no e-mail fails later with `bad_header`."""

import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from brands.models import Account, Brand
from messaging.providers.base import OutboundMessage
from messaging.providers.email import DjangoMailProvider
from tests.factories import AccountFactory, BrandFactory
from tests.factories.billing import plans  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

BROKEN = ["Acme\r\nBcc: victim@example.com", "Acme\nOutdoor", "Acme\rOutdoor", "Acme\tOutdoor", "Acme\u2028Outdoor",
          "Acme\x85Outdoor", "Acme\x1bOutdoor"]


@pytest.mark.parametrize("name", BROKEN)
def test_a_brand_name_with_a_line_break_is_refused_by_the_api(api, account, name):
    response = api.post("/api/v1/brands/", {"name": name, "slug": "acme-two"}, format="json")

    assert response.status_code == 400 and "name" in response.json()
    assert not Brand.objects.filter(slug="acme-two").exists()


def test_renaming_a_brand_with_a_line_break_is_refused_and_the_name_kept(api, brand):
    response = api.patch(f"/api/v1/brands/{brand.pk}/", {"name": "Acme\r\nBcc: x@example.com"}, format="json")

    assert response.status_code == 400 and "name" in response.json()
    brand.refresh_from_db()
    assert brand.name == "Acme"


def test_a_brand_name_with_a_line_break_is_refused_in_the_panel(panel, account, plans):
    response = panel.post(reverse("panel:brand-create"), {
        "name": "Trail\nhead", "slug": "trailhead", "primary_color": "#0f766e", "default_language": "en",
    })

    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not Brand.objects.filter(slug="trailhead").exists()


def test_a_company_name_with_a_line_break_is_refused_at_signup(client):
    response = client.post(reverse("signup"), {"company": "Nordic\r\nSocks", "country": "SE", "plan": "lite",
                                               "email": "owner@nordicsocks.example",
                                               "password": "a-long-enough-passphrase"})

    assert response.status_code == 200 and "company" in response.context["form"].errors
    assert not Account.objects.filter(company_name__startswith="Nordic").exists()


def test_a_company_name_with_a_line_break_is_refused_in_the_settings(panel, account, plans):
    response = panel.post(reverse("panel:account-update"), {"company_name": "Acme\nBcc: x@example.com",
                                                            "country": "NL"})

    assert response.status_code == 200 and "company_name" in response.context["account_form"].errors
    account.refresh_from_db()
    assert account.company_name == "Acme Parcels B.V."


def test_a_company_name_with_a_line_break_is_refused_by_createaccount():
    with pytest.raises(CommandError, match="company"):
        call_command("createaccount", "--company", "Acme\nBcc: x@example.com", "--country", "NL", "--plan", "lite",
                     "--email", "owner@acme.example")

    assert not Account.objects.exists()


def test_an_invitation_from_an_account_whose_name_was_typed_in_the_panel_is_sent(panel, account, plans):
    # given a name as the settings form leaves it (surrounding line breaks are trimmed, not refused)
    panel.post(reverse("panel:account-update"), {"company_name": "\r\nAcme Outdoor\r\n", "country": "NL"})

    # when an owner invites a colleague
    response = panel.post(reverse("panel:member-invite"), {"email": "colleague@acme.example"})

    # then the invitation goes out, its subject on one line
    assert response.status_code == 302
    assert mail.outbox[-1].subject.endswith("invited you to Acme Outdoor on Parcelcast")


def test_names_stored_before_the_check_are_made_single_lines_so_their_emails_go_out(settings):
    # given names stored with line breaks before they were checked (update() skips validation)
    account = AccountFactory()
    brand = BrandFactory(account=account)
    Account.objects.filter(pk=account.pk).update(company_name="Acme\r\nParcels")
    Brand.objects.filter(pk=brand.pk).update(name="Acme\n\u2028Sh\u200bop")

    # when the migration that introduced the check runs its data step
    migration = importlib.import_module("brands.migrations.0003_plain_text_names")
    migration.clean_stored_names(apps, None)

    # then each run of breaks became one space, and the brand's e-mail is accepted by the mail backend
    account.refresh_from_db()
    brand.refresh_from_db()
    assert (account.company_name, brand.name) == ("Acme Parcels", "Acme Shop")
    result = DjangoMailProvider(from_email="notifications@parcelcast.test").send(OutboundMessage(
        message_id=1, channel="email", to="shopper@example.com", subject="Your parcel", body="On its way",
        from_name=brand.name,
    ))
    assert result.provider_message_id and mail.outbox[-1].from_email == "Acme Shop <notifications@parcelcast.test>"

