"""Password reset is limited per client address and per account e-mail: past either limit the
same "sent" page, and no e-mail. Whether the address belongs to an account never shows."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_from_scratch")]


@pytest.fixture
def small_limits(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_reset": "5/h",
                               "password_reset_account": "3/h"}


def ask(client, email, address="203.0.113.40"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_one_account_gets_at_most_three_reset_mails_an_hour(client, member, small_limits):
    answers = [ask(client, member.email, address=f"192.0.2.{n}") for n in range(20)]

    assert len(mail.outbox) == 3
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("password_reset_done"))}


def test_the_account_limit_ignores_case_and_spaces(client, member, small_limits):
    for n, spelling in enumerate([member.email, member.email.upper(), f" {member.email} ", member.email.title()]):
        ask(client, spelling, address=f"192.0.2.{n}")

    assert len(mail.outbox) == 3


def test_one_address_asks_at_most_five_resets_an_hour(client, small_limits):
    members = [MembershipFactory().user for _ in range(7)]
    answers = [ask(client, user.email) for user in members]

    assert len(mail.outbox) == 5
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("password_reset_done"))}
    # another address is not held back
    ask(client, members[-1].email, address="198.51.100.41")
    assert len(mail.outbox) == 6


def test_a_limited_request_looks_like_any_other(client, member, small_limits):
    for _ in range(3):
        ask(client, member.email)
    limited = ask(client, member.email)
    unknown = ask(client, "nobody@example.com")

    assert (limited.status_code, limited.url) == (unknown.status_code, unknown.url) == (
        302, reverse("password_reset_done"))
    assert len(mail.outbox) == 3
