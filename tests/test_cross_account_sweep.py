"""Every API URL, walked with the key of account B against objects of account A.

The sweep discovers the URL patterns itself, so a new endpoint is covered as soon as it is
routed: its view must expose `scoped_model` (or a queryset) so the sweep can build an object
of account A, and tests/factories must register a builder for that model."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from brands.models import Brand
from tests.factories import make_for_account

pytestmark = pytest.mark.django_db

API_PREFIX = "api/v1/"
METHODS = ("get", "put", "patch", "delete", "post")
# Values for URL parameters that are not object ids.
FIXED_KWARGS = {"channel": "whatsapp", "status": "delivered", "language": "en", "carrier": "sandbox"}
# Routes that are not about one object (collections, account-level actions) are allowed to
# answer 200/201/400 for B: they only ever show or touch B's own data, checked elsewhere.


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def api_patterns_with_kwargs():
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(API_PREFIX) or "<" not in route or "format" in route:
            continue
        found.append((route, pattern))
    return found


def view_model(pattern):
    view_class = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    model = getattr(view_class, "scoped_model", None)
    if model is None and getattr(view_class, "queryset", None) is not None:
        model = view_class.queryset.model
    return model


def build_url(route: str, pattern, account) -> str:
    """Fill the route's parameters with account A's objects."""
    import re

    url = "/" + route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")
    kwargs = re.findall(r"<(?:\w+:)?(\w+)>", url) or re.findall(r"\(\?P<(\w+)>[^)]*\)", url)
    values = {}
    for name in kwargs:
        if name in FIXED_KWARGS:
            values[name] = FIXED_KWARGS[name]
        elif name in ("brand_pk", "brand_id"):
            values[name] = make_for_account(Brand, account).pk
        else:
            model = view_model(pattern)
            assert model is not None, f"{route}: the view must declare scoped_model for the sweep"
            values[name] = make_for_account(model, account).pk
    for name, value in values.items():
        url = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(value), url)
    return url


def test_the_sweep_finds_api_routes_with_parameters():
    routes = [route for route, _ in api_patterns_with_kwargs()]
    assert any("brands" in route for route in routes), routes
    for name in ("webhook-endpoints", "shopper-requests", "feedback"):
        assert any(name in route for route in routes), name
    assert any("conversations/" in route for route in routes), routes  # issue 17


@pytest.mark.parametrize("route, pattern", api_patterns_with_kwargs(), ids=lambda v: v if isinstance(v, str) else "")
def test_objects_of_another_account_answer_404_to_every_method(route, pattern, account, outsider_api, client):
    url = build_url(route, pattern, account)

    for method in METHODS:
        response = getattr(outsider_api, method)(url, {}, format="json")
        assert response.status_code in (404, 405), f"{method.upper()} {url} as outsider: {response.status_code}"
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code in (401, 405), f"{method.upper()} {url} anonymous: {anonymous.status_code}"
