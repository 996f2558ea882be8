"""Account.time_zone: a new account's from its country, validated, settable through the API."""

import pytest
from django.core.exceptions import ValidationError

from brands import services
from brands.models import Account, AuditEvent
from core.country_zones import obvious_zone

pytestmark = pytest.mark.django_db


def create(country: str) -> Account:
    account, _, _ = services.account_create(company_name="Shop B.V.", country=country, plan="lite",
                                            email=f"owner@{country.lower()}.example")
    return account


def test_a_new_dutch_account_gets_europe_amsterdam():
    assert create("nl").time_zone == "Europe/Amsterdam"


def test_a_new_account_of_a_one_zone_country_outside_the_map_gets_that_zone():
    assert create("JP").time_zone == "Asia/Tokyo"


def test_a_new_account_of_a_country_spanning_several_zones_starts_in_utc():
    assert create("US").time_zone == "UTC"


def test_the_obvious_zone_is_the_mainlands_where_islands_add_others():
    assert (obvious_zone("ES"), obvious_zone("PT"), obvious_zone("DE")) == ("Europe/Madrid", "Europe/Lisbon", "Europe/Berlin")
    assert obvious_zone("") == obvious_zone("ZZ") == "UTC"


def test_createaccount_gives_the_countrys_zone():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("createaccount", "--company", "Acme", "--country", "be", "--plan", "lite",
                 "--email", "o@acme.example", stdout=out)
    assert Account.objects.get(company_name="Acme").time_zone == "Europe/Brussels"


def test_an_unknown_zone_is_refused_by_the_service_naming_the_field(account):
    for bad in ("Mars/Olympus_Mons", "", "europe/amsterdam", "Europe/Amsterdam/x"):
        with pytest.raises(ValidationError) as caught:
            services.account_set_time_zone(account=account, time_zone=bad)
        assert set(caught.value.message_dict) == {"time_zone"}
    account.refresh_from_db()
    assert account.time_zone == "UTC"


def test_the_api_reads_and_sets_the_time_zone_with_an_audit_record(api, account):
    assert api.get("/api/v1/account/").json()["time_zone"] == "UTC"

    response = api.patch("/api/v1/account/", {"time_zone": "Europe/Amsterdam"}, format="json")

    assert response.status_code == 200 and response.json()["time_zone"] == "Europe/Amsterdam"
    account.refresh_from_db()
    assert account.time_zone == "Europe/Amsterdam" and account.retention_days == 90
    assert AuditEvent.objects.filter(account=account, action="account.time_zone").count() == 1


def test_the_api_refuses_an_unknown_zone_and_an_empty_patch(api, account):
    bad = api.patch("/api/v1/account/", {"time_zone": "Nowhere/Special", "retention_days": 30}, format="json")
    empty = api.patch("/api/v1/account/", {}, format="json")

    assert bad.status_code == 400 and "time_zone" in bad.json()
    assert empty.status_code == 400
    account.refresh_from_db()
    assert (account.time_zone, account.retention_days) == ("UTC", 90)  # neither half was saved
