from datetime import datetime, timezone

import pytest
from django.http import QueryDict
from hypothesis import given, settings as hypothesis_settings, strategies as st
from twilio.request_validator import RequestValidator

from messaging.webhooks.twilio_parse import compute_signature, parse_inbound, parse_status, verify_signature

TOKEN = "12345-auth-token"
URL = "https://parcelcast.test/webhooks/twilio/status/?brand=acme&msg=42"
NOW = datetime(2024, 6, 10, 6, 15, tzinfo=timezone.utc)
STATUS = {  # recorded status-callback form
    "ApiVersion": "2010-04-01", "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "MessageSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f", "SmsSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "SmsStatus": "delivered", "MessageStatus": "delivered", "From": "+14155552345", "To": "+31612345678",
}


def twilio_signature(url: str, params) -> str:
    return RequestValidator(TOKEN).compute_signature(url, params)


# --- signature: same as Twilio's reference implementation -----------------------------------


def test_signature_equals_twilio_request_validator():
    assert compute_signature(URL, STATUS, TOKEN) == twilio_signature(URL, STATUS)


def test_signature_made_by_twilio_is_verified():
    assert verify_signature(URL, STATUS, twilio_signature(URL, STATUS), TOKEN) is True
    assert RequestValidator(TOKEN).validate(URL, STATUS, compute_signature(URL, STATUS, TOKEN)) is True


def test_query_dict_with_repeated_parameters_signs_like_twilio():
    form = QueryDict("MediaUrl0=https%3A%2F%2Fx%2Fb&MediaUrl0=https%3A%2F%2Fx%2Fa&Body=TRACK+42&From=%2B316")
    assert compute_signature(URL, form, TOKEN) == twilio_signature(URL, form)
    assert verify_signature(URL, form, twilio_signature(URL, form), TOKEN) is True


def test_list_values_in_a_plain_dict_sign_like_a_query_dict():
    form = QueryDict("A=2&A=1&B=x")
    assert compute_signature(URL, {"A": ["2", "1"], "B": "x"}, TOKEN) == compute_signature(URL, form, TOKEN)


def test_no_parameters_signs_just_the_url():
    assert compute_signature(URL, {}, TOKEN) == twilio_signature(URL, {})


@pytest.mark.parametrize("signed_url, called_url", [
    ("https://parcelcast.test:443/webhooks/twilio/status/", "https://parcelcast.test/webhooks/twilio/status/"),
    ("https://parcelcast.test/webhooks/twilio/status/", "https://parcelcast.test:443/webhooks/twilio/status/"),
])
def test_signature_is_accepted_with_or_without_the_default_port_like_twilio(signed_url, called_url):
    signature = twilio_signature(signed_url, STATUS)
    assert verify_signature(called_url, STATUS, signature, TOKEN) is True
    assert RequestValidator(TOKEN).validate(called_url, STATUS, signature) is True


def test_changed_parameter_is_refused():
    signature = twilio_signature(URL, STATUS)
    assert verify_signature(URL, {**STATUS, "MessageStatus": "failed"}, signature, TOKEN) is False


def test_changed_query_string_is_refused():
    signature = twilio_signature(URL, STATUS)
    assert verify_signature(URL.replace("msg=42", "msg=43"), STATUS, signature, TOKEN) is False


def test_wrong_token_is_refused():
    assert verify_signature(URL, STATUS, twilio_signature(URL, STATUS), "another-token") is False


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "é"])
def test_missing_or_bogus_signature_is_refused(signature):
    assert verify_signature(URL, STATUS, signature, TOKEN) is False


def test_unset_auth_token_refuses_everything():
    assert verify_signature(URL, STATUS, RequestValidator("").compute_signature(URL, STATUS), "") is False


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@hypothesis_settings(max_examples=200, deadline=None)
@given(params=st.dictionaries(st.text(min_size=1, max_size=12), st.lists(_text, min_size=1, max_size=3),
                              max_size=6),
       path=st.text(alphabet="abc/-_?=&%", max_size=20))
def test_any_form_signs_exactly_like_twilio(params, path):
    url = "https://parcelcast.test/" + path
    form = QueryDict(mutable=True)
    for name, values in params.items():
        form.setlist(name, values)
    single = {name: values[0] for name, values in params.items()}
    assert compute_signature(url, form, TOKEN) == RequestValidator(TOKEN).compute_signature(url, form)
    assert compute_signature(url, single, TOKEN) == RequestValidator(TOKEN).compute_signature(url, single)


# --- status callbacks -----------------------------------------------------------------------


@pytest.mark.parametrize("raw, state", [
    ("queued", "queued"), ("accepted", "queued"), ("sending", "queued"), ("sent", "sent"),
    ("delivered", "delivered"), ("undelivered", "failed"), ("failed", "failed"), ("read", "read"),
    ("some_new_status", "queued"),
])
def test_message_status_maps_onto_our_states(raw, state):
    assert parse_status({**STATUS, "MessageStatus": raw}, now=NOW).state == state


def test_status_callback_parses_sid_recipient_and_receipt_time():
    update = parse_status(STATUS, now=NOW)
    assert update.provider_message_id == "SM1f0e8ae6ade43cb3c0ce4525424e404f"
    assert (update.recipient, update.at, update.error_code) == ("+31612345678", NOW, "")


def test_undelivered_status_carries_the_error_code():
    update = parse_status({**STATUS, "MessageStatus": "undelivered", "ErrorCode": "30003"}, now=NOW)
    assert (update.state, update.error_code) == ("failed", "30003")


def test_status_from_a_query_dict_is_parsed():
    form = QueryDict("MessageSid=SMabc&MessageStatus=sent&To=%2B31612345678")
    assert parse_status(form, now=NOW).state == "sent"


def test_status_without_message_sid_is_refused():
    with pytest.raises(ValueError):
        parse_status({"MessageStatus": "delivered"})


# --- inbound SMS ----------------------------------------------------------------------------


def test_inbound_stop_is_parsed():
    text = parse_inbound({"MessageSid": "SMin1", "From": "+31612345678", "To": "+14155552345", "Body": "STOP"},
                         now=NOW)
    assert (text.sender, text.text, text.provider_message_id, text.at) == ("+31612345678", "STOP", "SMin1", NOW)
    assert text.phone_number_id == "+14155552345"


def test_inbound_track_keeps_the_order_number():
    form = QueryDict("MessageSid=SMin2&From=%2B31612345678&To=%2B14155552345&Body=TRACK+1234-AB")
    assert parse_inbound(form, now=NOW).text == "TRACK 1234-AB"


def test_inbound_without_sender_is_refused():
    with pytest.raises(ValueError):
        parse_inbound({"MessageSid": "SMin3", "Body": "STOP"})
