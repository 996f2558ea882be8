"""Checking a brand's WhatsApp credentials with Meta before they are stored.

`GET {base}/{phone_number_id}?fields=display_phone_number,verified_name,quality_rating` with the
brand's token: the cheapest Graph call that proves both the token and the number id (it sends
nothing and is not a management call counted against the template limits). The answer is parsed
by pure functions; `lookup_phone_number` is the one thin I/O call.

What can go wrong, and whose field it is:
- 190 (token invalid or expired) or 401 without a Graph error: the access token;
- 100 (unknown object, or the token cannot see it), 803, 404: the phone number id;
- 10/200-299 (permission missing on the token): the access token;
- a timeout, a refused connection, a 5xx or a throttle: Meta could not be asked (not the merchant's
  input): nothing is stored and the caller answers 503.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import requests

from core.http import DEFAULT_TIMEOUT, http

from .base import int_or_none
from .whatsapp import DEFAULT_BASE_URL

FIELDS = "display_phone_number,verified_name,quality_rating"
TOKEN_CODES = frozenset({190, 102, 10})
NUMBER_CODES = frozenset({100, 803})


@dataclass(frozen=True)
class PhoneNumberInfo:
    phone_number_id: str
    display_phone_number: str
    verified_name: str
    quality_rating: str


class PhoneNumberLookupError(Exception):
    """The credentials were refused (`field` names the input at fault) or Meta could not be asked
    (`field` is None, `unavailable` True)."""

    def __init__(self, message: str, *, field: str | None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def unavailable(self) -> bool:
        return self.field is None


# --- pure ------------------------------------------------------------------------------------


def parse_answer(phone_number_id: str, status: int, body: object) -> PhoneNumberInfo:
    """Meta's answer -> the number's details, or PhoneNumberLookupError naming what is wrong."""
    if 200 <= status < 300 and isinstance(body, Mapping):
        if str(body.get("id") or phone_number_id) != phone_number_id:
            raise PhoneNumberLookupError("Meta answered for another phone number id.", field="phone_number_id")
        if not body.get("display_phone_number"):
            # A WABA id or an app id is also a Graph object: it answers, but is no phone number.
            raise PhoneNumberLookupError("This id is not a WhatsApp business phone number id.",
                                         field="phone_number_id")
        return PhoneNumberInfo(phone_number_id=phone_number_id,
                               display_phone_number=str(body["display_phone_number"])[:32],
                               verified_name=str(body.get("verified_name") or "")[:200],
                               quality_rating=str(body.get("quality_rating") or "")[:16])
    error = body.get("error") if isinstance(body, Mapping) else None
    error = error if isinstance(error, Mapping) else {}
    code = int_or_none(error.get("code"))
    said = f" (Meta: {str(error.get('message'))[:200]})" if error.get("message") else ""
    if code in TOKEN_CODES or 200 <= (code or 0) <= 299 or (code is None and status in (401, 403)):
        raise PhoneNumberLookupError(f"Meta refused this access token{said}.", field="access_token")
    if code in NUMBER_CODES or (code is None and status == 404):
        raise PhoneNumberLookupError(
            f"Meta knows no phone number with this id for this access token{said}.", field="phone_number_id")
    if status == 429 or status >= 500 or code in (1, 2, 4, 80007):
        raise PhoneNumberLookupError(f"Meta could not check the number just now (HTTP {status}){said}; "
                                     "try again in a minute.", field=None)
    raise PhoneNumberLookupError(f"Meta refused these credentials (HTTP {status}){said}.", field="access_token")


# --- thin I/O ----------------------------------------------------------------------------------


def lookup_phone_number(*, phone_number_id: str, access_token: str,
                        base_url: str = DEFAULT_BASE_URL) -> PhoneNumberInfo:
    url = f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/{phone_number_id}"
    try:
        response = http().get(url, params={"fields": FIELDS}, timeout=DEFAULT_TIMEOUT, allow_redirects=False,
                              headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
    except requests.RequestException as exc:
        raise PhoneNumberLookupError(f"Meta could not be reached ({type(exc).__name__}); nothing was saved, "
                                     "try again in a minute.", field=None) from exc
    try:
        body = response.json()
    except ValueError:
        body = None
    return parse_answer(phone_number_id, response.status_code, body)
