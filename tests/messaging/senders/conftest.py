"""Meta's Graph API replayed with `responses`: the phone number lookup a connect makes."""

import pytest
import responses

GRAPH = "https://graph.test/v23.0"
NUMBER_ID = "106540352242922"
WABA_ID = "102290129340398"
TOKEN = "EAAGm0PX4ZCpsBAbrandOwnToken1234567890abcdef"
NUMBER_ANSWER = {"id": NUMBER_ID, "display_phone_number": "+31 20 123 4567", "verified_name": "Acme Shoes",
                 "quality_rating": "GREEN"}


@pytest.fixture(autouse=True)
def graph_settings(settings):
    settings.WHATSAPP_API_BASE_URL = GRAPH
    settings.WHATSAPP_ACCESS_TOKEN = "platform-token-0123456789abcdef"
    settings.WHATSAPP_PHONE_NUMBER_ID = "999000999000"


@pytest.fixture
def meta():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def number_lookup(rsps, *, status=200, body=None, number_id=NUMBER_ID):
    return rsps.get(f"{GRAPH}/{number_id}", json=NUMBER_ANSWER if body is None else body, status=status,
                    match=[responses.matchers.query_param_matcher(
                        {"fields": "display_phone_number,verified_name,quality_rating"})])


def graph_error(code, message="error", kind="OAuthException"):
    return {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}}
