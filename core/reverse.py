"""`reverse` for the hot paths: routes with one token argument, resolved once.

Planning a message puts two links in it (tracking page, unsubscribe); Django's `reverse` walks
the resolver every time (~40 us), which at thousands of messages a second is real CPU. The
route is the same every time, so it is reversed once with a placeholder (per URLconf and
script prefix) and the token is put in its place, quoted as `reverse` quotes it. Only for
tokens we generate ourselves (URL-safe, no '/'): `reverse` would also check them against the
route's converter.
"""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

_PLACEHOLDER = "parcelcasttoken"


@lru_cache(maxsize=64)
def _route(viewname: str, urlconf, prefix: str) -> tuple[str, str]:
    path = reverse(viewname, urlconf=urlconf, args=[_PLACEHOLDER])
    head, found, tail = path.partition(_PLACEHOLDER)
    if not found:
        raise ValueError(f"{viewname} does not take one argument")
    return head, tail


def reverse_token(viewname: str, token: str) -> str:
    """`reverse(viewname, args=[token])` for a route whose only argument is a token."""
    if "/" in token:
        raise ValueError("tokens never contain '/'")
    head, tail = _route(viewname, get_urlconf(), get_script_prefix())
    return head + quote(token, safe=RFC3986_SUBDELIMS + "/~:@") + tail


def route_head(viewname: str) -> str:
    """The path of a one-token route before its token ("/unsubscribe/" for "unsubscribe")."""
    return _route(viewname, get_urlconf(), get_script_prefix())[0]
