"""core.reverse.reverse_token: the hot-path reverse gives exactly what Django's reverse gives."""

import secrets

import pytest
from django.urls import reverse, set_script_prefix

from core.reverse import reverse_token
from messaging.optout_tokens import make_optout_token


@pytest.mark.parametrize("name, make", [
    ("tracking:page", lambda n: secrets.token_urlsafe(18)),
    ("unsubscribe", lambda n: make_optout_token(n, f"+3161234{n:04d}")),
    ("unsubscribe", lambda n: make_optout_token(n, f"Zoë.{n}@example.com")),
])
def test_it_gives_the_same_link_as_reverse(name, make):
    for n in range(50):
        token = make(n)
        assert reverse_token(name, token) == reverse(name, args=[token])


def test_it_follows_the_script_prefix():
    set_script_prefix("/parcelcast/")
    try:
        assert reverse_token("tracking:page", "abc") == reverse("tracking:page", args=["abc"]) == "/parcelcast/track/abc/"
    finally:
        set_script_prefix("/")


def test_a_token_with_a_slash_is_refused():
    with pytest.raises(ValueError):
        reverse_token("unsubscribe", "a/b")
