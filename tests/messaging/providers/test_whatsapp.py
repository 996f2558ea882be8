import json

import pytest
import requests
import responses

from messaging.providers.base import OutboundMessage, ProviderError, WhatsAppTemplateCall
from messaging.providers.whatsapp import WhatsAppCloudProvider, build_payload, classify_error

BASE = "https://graph.facebook.com/v23.0"
URL = f"{BASE}/106540352242922/messages"
WAMID = "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
SUCCESS = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "31612345678", "wa_id": "31612345678"}],
    "messages": [{"id": WAMID}],
}


def graph_error(code: int, message: str, details: str = "", type_: str = "OAuthException") -> dict:
    """The shape Meta answers with (recorded fields, trace id is opaque)."""
    error = {"message": message, "type": type_, "code": code, "fbtrace_id": "AazH3CCk9nSpGv5Rfb0nQ_e"}
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return {"error": error}


def message(to: str = "+31612345678", **overrides) -> OutboundMessage:
    fields = dict(
        message_id=4711, channel="whatsapp", to=to, body="Your parcel is out for delivery",
        whatsapp=WhatsAppTemplateCall("shipment_out_for_delivery", "nl", ("Acme", "1234-AB", "https://t.co/x")),
    )
    fields.update(overrides)
    return OutboundMessage(**fields)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def provider() -> WhatsAppCloudProvider:
    return WhatsAppCloudProvider(access_token="EAAG-test-token", phone_number_id="106540352242922", base_url=BASE)


def send_expecting_error(mock, provider, status: int, body: dict | None = None, **kwargs) -> ProviderError:
    mock.post(URL, status=status, json=body, **kwargs)
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    return caught.value


# --- the request ----------------------------------------------------------------------------


def test_send_posts_the_template_payload_with_bearer_token_and_returns_the_wamid(mock, provider):
    mock.post(URL, json=SUCCESS)

    result = provider.send(message())

    assert result.provider_message_id == WAMID
    assert result.provider == "whatsapp_cloud"
    assert result.raw["contacts"][0]["wa_id"] == "31612345678"
    sent = mock.calls[0].request
    assert sent.headers["Authorization"] == "Bearer EAAG-test-token"
    assert json.loads(sent.body) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "31612345678",
        "type": "template",
        "template": {
            "name": "shipment_out_for_delivery",
            "language": {"code": "nl"},
            "components": [{"type": "body", "parameters": [
                {"type": "text", "text": "Acme"},
                {"type": "text", "text": "1234-AB"},
                {"type": "text", "text": "https://t.co/x"},
            ]}],
        },
        "biz_opaque_callback_data": "4711",
    }


def test_request_carries_an_explicit_timeout(mock, provider):
    mock.post(URL, json=SUCCESS)
    provider.send(message())
    assert mock.calls[0].request.req_kwargs["timeout"] is not None


def test_template_without_parameters_sends_no_components():
    payload = build_payload(message(whatsapp=WhatsAppTemplateCall("hello_world", "en_US", ())))
    assert payload["template"] == {"name": "hello_world", "language": {"code": "en_US"}}


def test_message_without_template_is_a_config_error_before_any_request(mock, provider):
    with pytest.raises(ProviderError) as caught:
        provider.send(message(whatsapp=None))  # `mock` has nothing registered: a request would fail
    assert (caught.value.kind, caught.value.code) == ("config", "missing_template")


def test_number_that_is_not_e164_is_permanent_before_any_request(mock, provider):
    with pytest.raises(ProviderError) as caught:
        provider.send(message(to="0612345678"))
    assert (caught.value.kind, caught.value.code) == ("permanent", "invalid_recipient")


def test_an_sms_message_is_refused_by_the_whatsapp_provider(mock, provider):
    with pytest.raises(ProviderError) as caught:
        provider.send(message(channel="sms"))
    assert caught.value.code == "wrong_channel"


# --- error classes, each with Meta's answer shape -------------------------------------------


@pytest.mark.parametrize("code, http_status, text", [
    (130429, 400, "Rate limit hit"),
    (131056, 400, "(Business Account, Consumer Account) pair rate limit hit"),
    (4, 400, "(#4) Application request limit reached"),
    (80007, 400, "Rate limit issues"),
    (1, 500, "An unknown error occurred"),
    (2, 503, "Service temporarily unavailable"),
    (131000, 500, "Something went wrong"),
    (131016, 503, "Service unavailable"),
    (131057, 400, "Account in maintenance mode"),
])
def test_rate_limit_and_temporary_codes_are_transient(mock, provider, code, http_status, text):
    error = send_expecting_error(mock, provider, http_status, graph_error(code, text))
    assert (error.kind, error.code) == ("transient", str(code))


@pytest.mark.parametrize("code, text", [
    (131026, "Message undeliverable"),
    (131021, "Recipient cannot be sender"),
    (131030, "Recipient phone number not in allowed list"),
    (100, "Invalid parameter"),
    (131008, "Required parameter is missing"),
    (131009, "Parameter value is not valid"),
])
def test_message_level_codes_are_permanent(mock, provider, code, text):
    error = send_expecting_error(mock, provider, 400, graph_error(code, text, details=text))
    assert (error.kind, error.code) == ("permanent", str(code))


def test_user_stopped_messages_131050_is_an_opt_out(mock, provider):
    body = graph_error(131050, "Unable to deliver the message. This recipient has chosen to stop "
                               "receiving marketing messages on WhatsApp from your business.")
    error = send_expecting_error(mock, provider, 400, body)
    assert (error.kind, error.code) == ("opt_out", "131050")


@pytest.mark.parametrize("code, http_status, text", [
    (132000, 400, "Number of parameters does not match the expected number of params"),
    (132001, 404, "Template name does not exist in the translation"),
    (132015, 400, "Template is paused"),
    (132016, 400, "Template is disabled"),
    (0, 401, "AuthException"),
    (190, 401, "Error validating access token: Session has expired"),
    (10, 403, "Application does not have permission for this action"),
    (200, 403, "Permissions error"),
    (299, 403, "Permissions error"),
    (131031, 400, "Business Account locked"),
    (131042, 400, "Business eligibility payment issue"),
    (368, 403, "Temporarily blocked for policies violations"),
])
def test_setup_codes_are_config_errors(mock, provider, code, http_status, text):
    error = send_expecting_error(mock, provider, http_status, graph_error(code, text))
    assert (error.kind, error.code) == ("config", str(code))


def test_code_decides_over_http_status(mock, provider):
    # A template error behind a 500 is still our setup, not Meta's outage.
    error = send_expecting_error(mock, provider, 500, graph_error(132001, "Template does not exist"))
    assert error.kind == "config"


def test_unknown_code_with_5xx_is_transient_and_with_4xx_permanent():
    assert classify_error(502, graph_error(999999, "new")).kind == "transient"
    assert classify_error(400, graph_error(999999, "new")).kind == "permanent"
    assert classify_error(400, graph_error(999999, "new")).code == "999999"


def test_error_message_names_code_details_and_trace_id(mock, provider):
    error = send_expecting_error(mock, provider, 400, graph_error(
        131008, "(#131008) Required parameter is missing", details="Parameter 'to' is missing"))
    assert "131008" in error.message
    assert "Parameter 'to' is missing" in error.message
    assert "fbtrace_id=AazH3CCk9nSpGv5Rfb0nQ_e" in error.message


def test_429_without_body_is_transient_with_retry_after(mock, provider):
    mock.post(URL, status=429, body="", headers={"Retry-After": "30"})
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code, caught.value.retry_after) == ("transient", "http_429", 30.0)


def test_pair_rate_limit_suggests_waiting_six_seconds():
    error = classify_error(400, graph_error(131056, "pair rate limit hit"))
    assert error.retry_after == 6.0


def test_bare_502_from_a_proxy_is_transient(mock, provider):
    mock.post(URL, status=502, body="<html>Bad Gateway</html>")
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", "http_502")


def test_bare_401_without_graph_error_is_config():
    assert classify_error(401, None).kind == "config"


@pytest.mark.parametrize("exc", [requests.ConnectTimeout("connect"), requests.ReadTimeout("read")])
def test_timeouts_are_transient(mock, provider, exc):
    mock.post(URL, body=exc)
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", "timeout")


def test_connection_error_is_transient(mock, provider):
    mock.post(URL, body=requests.ConnectionError("connection refused"))
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", "connection_error")


@pytest.mark.parametrize("base_url", ["http://[::1]:9/v23.0", "http://[::1:9/v23.0"])
def test_an_ipv6_base_url_nobody_answers_on_is_a_transient_connection_error(base_url):
    # Real sockets on loopback (no `responses`): the HTTP client's own error, not a bare ValueError.
    provider = WhatsAppCloudProvider(access_token="EAAG-test-token", phone_number_id="1", base_url=base_url)
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", "connection_error")


@pytest.mark.parametrize("body", [{"messaging_product": "whatsapp", "messages": []}, {"messages": [{}]}, None])
def test_success_without_message_id_is_permanent_bad_response_so_it_is_never_sent_twice(mock, provider, body):
    if body is None:
        mock.post(URL, status=200, body="not json")
    else:
        mock.post(URL, status=200, json=body)
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("permanent", "bad_response")


def test_the_url_button_gets_its_dynamic_end_after_the_body():
    call = WhatsAppTemplateCall("pc_delivered_v2", "en", ("Ana",), url_button="tok/")

    components = build_payload(message(whatsapp=call))["template"]["components"]

    assert components == [
        {"type": "body", "parameters": [{"type": "text", "text": "Ana"}]},
        {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "tok/"}]},
    ]
