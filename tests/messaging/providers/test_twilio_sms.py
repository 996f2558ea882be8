import base64
from urllib.parse import parse_qs

import pytest
import requests
import responses

from messaging.providers.base import OutboundMessage, ProviderError
from messaging.providers.twilio_sms import TwilioSmsProvider, classify_error

SID = "AC0123456789abcdef0123456789abcdef"
URL = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"
MESSAGE_SID = "SM1f0e8ae6ade43cb3c0ce4525424e404f"
CREATED = {  # recorded shape of a 201 answer
    "account_sid": SID, "api_version": "2010-04-01", "body": "Your parcel is on its way",
    "date_created": "Thu, 24 Aug 2023 05:01:45 +0000", "date_sent": None,
    "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000", "direction": "outbound-api",
    "error_code": None, "error_message": None, "from": "+14155552345", "messaging_service_sid": None,
    "num_media": "0", "num_segments": "1", "price": None, "price_unit": "USD", "sid": MESSAGE_SID,
    "status": "queued", "to": "+31612345678",
    "uri": f"/2010-04-01/Accounts/{SID}/Messages/{MESSAGE_SID}.json",
}


def twilio_error(code: int, message: str, status: int) -> dict:
    return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}


def message(**overrides) -> OutboundMessage:
    fields = dict(message_id=42, channel="sms", to="+31612345678", body="Your parcel is on its way",
                  status_callback_url="https://parcelcast.test/webhooks/twilio/status/")
    fields.update(overrides)
    return OutboundMessage(**fields)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def provider() -> TwilioSmsProvider:
    return TwilioSmsProvider(account_sid=SID, auth_token="secret-token", from_number="+14155552345")


def failing_send(mock, provider, status: int, body: dict | None = None, **kwargs) -> ProviderError:
    mock.post(URL, status=status, json=body, **kwargs)
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    return caught.value


def test_send_posts_form_fields_with_basic_auth_and_returns_the_sid(mock, provider):
    mock.post(URL, status=201, json=CREATED)

    result = provider.send(message())

    assert (result.provider_message_id, result.provider) == (MESSAGE_SID, "twilio")
    assert result.raw["num_segments"] == "1"
    sent = mock.calls[0].request
    assert parse_qs(sent.body) == {
        "To": ["+31612345678"],
        "From": ["+14155552345"],
        "Body": ["Your parcel is on its way"],
        "StatusCallback": ["https://parcelcast.test/webhooks/twilio/status/"],
    }
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(f"{SID}:secret-token".encode()).decode()
    assert sent.req_kwargs["timeout"] is not None


def test_status_callback_is_left_out_when_not_given(mock, provider):
    mock.post(URL, status=201, json=CREATED)
    provider.send(message(status_callback_url=""))
    assert "StatusCallback" not in parse_qs(mock.calls[0].request.body)


def test_custom_base_url_is_used(mock):
    mock.post(f"http://twilio.local:8080/2010-04-01/Accounts/{SID}/Messages.json", status=201, json=CREATED)
    provider = TwilioSmsProvider(SID, "secret-token", "+14155552345", base_url="http://twilio.local:8080/")
    assert provider.send(message()).provider_message_id == MESSAGE_SID


def test_recipient_who_sent_stop_21610_is_an_opt_out(mock, provider):
    error = failing_send(mock, provider, 400, twilio_error(21610, "Attempt to send to unsubscribed recipient", 400))
    assert (error.kind, error.code) == ("opt_out", "21610")


def test_invalid_number_21211_is_permanent(mock, provider):
    error = failing_send(mock, provider, 400, twilio_error(
        21211, "The 'To' number +3161234 is not a valid phone number.", 400))
    assert (error.kind, error.code) == ("permanent", "21211")
    assert "not a valid phone number" in error.message


@pytest.mark.parametrize("code, text", [
    (21408, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
    (21614, "'To' number is not a valid mobile number"),
])
def test_other_4xx_codes_are_permanent(mock, provider, code, text):
    error = failing_send(mock, provider, 400, twilio_error(code, text, 400))
    assert (error.kind, error.code) == ("permanent", str(code))


def test_authentication_failure_20003_is_config(mock, provider):
    error = failing_send(mock, provider, 401, twilio_error(20003, "Authenticate", 401))
    assert (error.kind, error.code) == ("config", "20003")


def test_bare_401_is_config():
    assert classify_error(401, None).kind == "config"


def test_too_many_requests_20429_is_transient_with_retry_after(mock, provider):
    error = failing_send(mock, provider, 429, twilio_error(20429, "Too Many Requests", 429),
                         headers={"Retry-After": "7"})
    assert (error.kind, error.code, error.retry_after) == ("transient", "20429", 7.0)


def test_http_429_without_body_is_transient_with_retry_after(mock, provider):
    mock.post(URL, status=429, body="", headers={"Retry-After": "2"})
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code, caught.value.retry_after) == ("transient", "http_429", 2.0)


def test_5xx_is_transient(mock, provider):
    error = failing_send(mock, provider, 503, twilio_error(20500, "Internal Server Error", 503))
    assert (error.kind, error.code) == ("transient", "20500")


@pytest.mark.parametrize("exc", [requests.ConnectTimeout("connect"), requests.ReadTimeout("read")])
def test_timeouts_are_transient(mock, provider, exc):
    mock.post(URL, body=exc)
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", "timeout")


def test_connection_error_is_transient(mock, provider):
    mock.post(URL, body=requests.ConnectionError("refused"))
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert caught.value.kind == "transient"


def test_an_ipv6_base_url_nobody_answers_on_is_a_transient_connection_error():
    # Real sockets on loopback (no `responses`): the HTTP client's own error, not a bare ValueError.
    provider = TwilioSmsProvider(account_sid=SID, auth_token="secret-token", from_number="+14155552345",
                                 base_url="http://[::1]:9")
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", "connection_error")


def test_created_without_sid_is_permanent_bad_response(mock, provider):
    error = failing_send(mock, provider, 201, {"status": "queued"})
    assert (error.kind, error.code) == ("permanent", "bad_response")


def test_invalid_e164_recipient_is_permanent_before_any_request(mock, provider):
    with pytest.raises(ProviderError) as caught:
        provider.send(message(to="+31 6 1234"))
    assert (caught.value.kind, caught.value.code) == ("permanent", "invalid_recipient")


def test_empty_body_is_permanent_before_any_request(mock, provider):
    with pytest.raises(ProviderError) as caught:
        provider.send(message(body="  "))
    assert caught.value.code == "empty_body"
