"""Sign up, log in, password reset by e-mail, and member invitations."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from brands.models import Account, Membership, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

SIGNUP = {
    "company": "Nordic Socks AB", "country": "SE", "plan": "lite",
    "email": "Owner@Nordicsocks.example", "password": "a-long-enough-passphrase",
}


def test_sign_up_creates_the_account_and_its_owner_and_logs_in(client):
    response = client.post(reverse("signup"), SIGNUP)

    assert response.status_code == 302 and response.url.startswith(reverse("panel:dashboard"))
    account = Account.objects.get(company_name="Nordic Socks AB")
    assert (account.country.code, account.plan) == ("SE", "lite")
    membership = Membership.objects.get(account=account)
    assert membership.role == Role.OWNER and membership.user.email == "owner@nordicsocks.example"
    welcome = client.get(response.url)
    assert welcome.status_code == 200 and "Welcome to Parcelcast, Nordic Socks AB" in welcome.content.decode()


def test_sign_up_shows_each_error_beside_its_field(client, member):
    blank = client.post(reverse("signup"), {**SIGNUP, "company": "", "plan": "platinum"})
    assert set(blank.context["form"].errors) == {"company", "plan"}

    response = client.post(reverse("signup"), {**SIGNUP, "email": member.email, "password": "123"})

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["email"] == ["A user with this e-mail already exists."]
    assert form.errors["password"]  # too short, too common, entirely numeric: the service says which
    assert 'id="id_email_error"' in response.content.decode()
    assert not Account.objects.filter(company_name=SIGNUP["company"]).exists()


def test_a_refused_password_creates_nothing(client):
    client.post(reverse("signup"), {**SIGNUP, "password": "password"})
    assert not User.objects.filter(email="owner@nordicsocks.example").exists()
    assert not Account.objects.filter(company_name="Nordic Socks AB").exists()


def test_log_in_and_out(client, member):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and 'href="/accounts/signup/"' in page.content.decode()
    response = client.post(reverse("login"), {"username": member.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == "/app/"
    assert client.get("/app/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/app/").status_code == 302


def _link(body: str) -> str:
    return re.search(r"https?://\S+", body).group().replace("http://testserver", "").replace(
        "https://parcelcast.test", "")


def test_password_reset_sends_a_link_that_sets_a_new_password(client, member):
    response = client.post(reverse("password_reset"), {"email": member.email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]

    form = client.get(_link(mail.outbox[0].body), follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "brand-new-passphrase-9",
                                                    "new_password2": "brand-new-passphrase-9"})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert client.login(username=member.email, password="brand-new-passphrase-9")


def test_an_owner_invites_a_member_who_sets_a_password_and_is_in(panel, account):
    response = panel.post(reverse("panel:member-invite"), {"email": "Colleague@Acme.example"})

    assert response.status_code == 302
    invited = User.objects.get(email="colleague@acme.example")
    assert not invited.has_usable_password()
    assert Membership.objects.get(user=invited).account == account
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["colleague@acme.example"]
    assert "Invited" in panel.get(reverse("panel:settings")).content.decode()

    panel.logout()
    form = panel.get(_link(mail.outbox[0].body), follow=True)
    assert "Choose a password to join" in form.content.decode()
    joined = panel.post(form.redirect_chain[-1][0], {"new_password1": "colleague-passphrase-1",
                                                     "new_password2": "colleague-passphrase-1"})
    assert joined.status_code == 302 and joined.url == reverse("panel:dashboard")
    assert panel.get(reverse("panel:dashboard")).context["current_account"] == account


def test_an_invitation_to_a_known_address_is_refused_beside_the_field(panel, member):
    response = panel.post(reverse("panel:member-invite"), {"email": member.email})
    assert response.status_code == 200
    assert response.context["invite_form"].errors["email"] == ["A user with this e-mail already exists."]
    assert not mail.outbox


def test_only_an_owner_invites(client, account):
    plain = MembershipFactory(account=account, role=Role.MEMBER).user
    client.force_login(plain)
    assert client.post(reverse("panel:member-invite"), {"email": "x@acme.example"}).status_code == 403
    assert "Send invitation" not in client.get(reverse("panel:settings")).content.decode()
    assert not User.objects.filter(email="x@acme.example").exists()
