"""GET/PUT /api/v1/account/spend-cap/: defaults, replacing the cap, every bad field named at once,
owners and keys only for changes, each account its own."""

import pytest
from django.urls import reverse

from billing.spend_models import SpendCap
from brands.models import AuditEvent, Role
from tests.factories import MembershipFactory
from tests.factories.billing import SpendCapFactory

pytestmark = pytest.mark.django_db
URL = reverse("api:spend-cap")


@pytest.fixture(autouse=True)
def _plans(plans):
    return plans


def test_an_account_without_a_cap_reads_the_defaults(api):
    response = api.get(URL)

    assert response.status_code == 200
    assert response.json() == {"monthly_cap": None, "alert_at_percent": 80, "on_cap": "fallback", "currency": "EUR"}


def test_put_sets_the_cap_and_get_reads_it_back(api, account):
    response = api.put(URL, {"monthly_cap": "50.00", "alert_at_percent": 90, "on_cap": "pause"}, format="json")

    assert response.status_code == 200
    expected = {"monthly_cap": "50.00", "alert_at_percent": 90, "on_cap": "pause", "currency": "EUR"}
    assert response.json() == expected
    assert api.get(URL).json() == expected
    assert SpendCap.objects.for_account(account).get().monthly_cap == 50


def test_a_whole_number_cap_is_shown_with_two_decimals(api):
    assert api.put(URL, {"monthly_cap": 75}, format="json").json()["monthly_cap"] == "75.00"


def test_put_replaces_the_whole_document_left_out_fields_take_their_defaults(api, account):
    SpendCapFactory(account=account, monthly_cap="20.00", alert_at_percent=50, on_cap="pause")

    response = api.put(URL, {"monthly_cap": "30"}, format="json")

    assert response.json() == {"monthly_cap": "30.00", "alert_at_percent": 80, "on_cap": "fallback", "currency": "EUR"}


def test_a_null_cap_removes_the_cap(api, account):
    SpendCapFactory(account=account, monthly_cap="20.00")

    response = api.put(URL, {"monthly_cap": None, "on_cap": "pause"}, format="json")

    assert response.json()["monthly_cap"] is None
    assert response.json()["on_cap"] == "pause"


def test_every_bad_field_is_named_at_once_and_nothing_is_saved(api, account):
    SpendCapFactory(account=account, monthly_cap="20.00")

    response = api.put(URL, {"monthly_cap": "-5", "alert_at_percent": 0, "on_cap": "stop"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"monthly_cap", "alert_at_percent", "on_cap", "code"}
    assert SpendCap.objects.for_account(account).get().monthly_cap == 20


@pytest.mark.parametrize("body, field", [
    ({"monthly_cap": "12.345"}, "monthly_cap"),
    ({"monthly_cap": "fifty"}, "monthly_cap"),
    ({"monthly_cap": True}, "monthly_cap"),
    ({"monthly_cap": "NaN"}, "monthly_cap"),
    ({"monthly_cap": "10000000000"}, "monthly_cap"),
    ({"monthly_cap": "1e999999"}, "monthly_cap"),
    ({"monthly_cap": "-1e999999"}, "monthly_cap"),
    ({"monthly_cap": "Infinity"}, "monthly_cap"),
    ({"monthly_cap": {"amount": 5}}, "monthly_cap"),
    ({"monthly_cap": "10", "alert_at_percent": 101}, "alert_at_percent"),
    ({"monthly_cap": "10", "alert_at_percent": "80"}, "alert_at_percent"),
    ({"monthly_cap": "10", "alert_at_percent": 80.5}, "alert_at_percent"),
    ({"monthly_cap": "10", "alert_at_percent": True}, "alert_at_percent"),
    ({"monthly_cap": "10", "on_cap": None}, "on_cap"),
])
def test_a_bad_value_is_a_400_naming_its_field(api, body, field):
    response = api.put(URL, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field, "code"]


def test_a_cap_of_zero_is_allowed(api):
    assert api.put(URL, {"monthly_cap": "0"}, format="json").json()["monthly_cap"] == "0.00"


def test_a_body_that_is_not_an_object_is_a_400(api):
    assert api.put(URL, ["50.00"], format="json").status_code == 400


def test_a_change_is_in_the_audit_log_with_before_and_after(api, account):
    api.put(URL, {"monthly_cap": "50.00"}, format="json")

    event = AuditEvent.objects.for_account(account).get(action="billing.spend_cap")
    assert event.details["before"]["monthly_cap"] is None
    assert event.details["after"] == {"monthly_cap": "50.00", "alert_at_percent": 80, "on_cap": "fallback"}
    assert event.actor_label.startswith("API key")


def test_putting_the_same_document_again_records_nothing_new(api, account):
    api.put(URL, {"monthly_cap": "50.00"}, format="json")
    api.put(URL, {"monthly_cap": "50.00"}, format="json")

    assert AuditEvent.objects.for_account(account).filter(action="billing.spend_cap").count() == 1


def test_a_member_reads_the_cap_but_only_an_owner_changes_it(client, account):
    client.force_login(MembershipFactory(account=account, role=Role.MEMBER).user)

    assert client.get(URL).status_code == 200
    response = client.put(URL, {"monthly_cap": "10.00"}, content_type="application/json")

    assert response.status_code == 403
    assert not SpendCap.objects.for_account(account).exists()


def test_an_owner_session_changes_the_cap(client, account, member):
    client.force_login(member)

    response = client.put(URL, {"monthly_cap": "10.00"}, content_type="application/json")

    assert response.status_code == 200


def test_each_account_sees_and_changes_only_its_own_cap(api, account, outsider, outsider_api):
    api.put(URL, {"monthly_cap": "50.00", "on_cap": "pause"}, format="json")

    assert outsider_api.get(URL).json()["monthly_cap"] is None
    outsider_api.put(URL, {"monthly_cap": "5.00"}, format="json")

    assert api.get(URL).json()["monthly_cap"] == "50.00"
    assert SpendCap.objects.for_account(outsider).get().monthly_cap == 5


def test_without_credentials_the_cap_is_a_401(client):
    assert client.get(URL).status_code == 401
    assert client.put(URL, {"monthly_cap": "1"}, content_type="application/json").status_code == 401


def test_the_account_export_holds_the_cap_and_its_alerts(api, account):
    import json

    from tests.factories.billing import SpendAlertFactory

    SpendCapFactory(account=account, monthly_cap="50.00")
    SpendAlertFactory(account=account, percent=80)

    response = api.get(reverse("api:account-export"))
    data = json.loads(b"".join(response.streaming_content))

    assert data["spend_cap"][0]["monthly_cap"] == "50.00"
    assert [alert["percent"] for alert in data["spend_cap"][0]["alerts"]] == [80]
