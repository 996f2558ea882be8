import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from brands.models import Account, ApiKey

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = StringIO()
    call_command("createaccount", *args, stdout=out)
    return json.loads(out.getvalue())


def test_createaccount_prints_account_user_and_a_working_api_key(client):
    result = run("--company", "Acme B.V.", "--country", "nl", "--plan", "lite", "--email", "Owner@Acme.example")

    assert set(result) == {"account", "user", "api_key"}
    account = Account.objects.get(pk=result["account"])
    assert (account.company_name, account.country.code, account.plan) == ("Acme B.V.", "NL", "lite")
    assert result["user"] == "owner@acme.example"
    assert account.memberships.get().role == "owner"
    response = client.get("/api/v1/brands/", HTTP_AUTHORIZATION=f"Bearer {result['api_key']}")
    assert response.status_code == 200


def test_the_api_key_is_stored_hashed_never_in_clear():
    result = run("--company", "Acme", "--country", "DE", "--plan", "free", "--email", "a@acme.example")

    key = ApiKey.objects.get()
    assert result["api_key"] not in (key.key_hash, key.prefix)
    assert result["api_key"].startswith(f"pc_{key.prefix}_")


def test_createaccount_with_a_password_lets_the_owner_log_in(client):
    run("--company", "Acme", "--country", "FR", "--plan", "growth", "--email", "o@acme.example",
        "--password", "a-long-enough-passphrase")

    assert client.login(username="o@acme.example", password="a-long-enough-passphrase")


@pytest.mark.parametrize(
    "args, field",
    [
        (("--country", "XX", "--plan", "lite", "--email", "a@b.example"), "--country"),
        (("--country", "NL", "--plan", "gold", "--email", "a@b.example"), "--plan"),
        (("--country", "NL", "--plan", "lite", "--email", "not-an-email"), "--email"),
        (("--country", "NL", "--plan", "lite", "--email", "a@b.example", "--password", "123"), "--password"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_creates_nothing(args, field):
    with pytest.raises(CommandError, match=field):
        run("--company", "Acme", *args)

    assert not Account.objects.exists()


def test_an_email_already_in_use_is_refused():
    run("--company", "Acme", "--country", "NL", "--plan", "lite", "--email", "a@b.example")

    with pytest.raises(CommandError, match="--email"):
        run("--company", "Other", "--country", "NL", "--plan", "lite", "--email", "A@B.example")
    assert Account.objects.count() == 1
