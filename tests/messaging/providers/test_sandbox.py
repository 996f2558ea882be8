import re

import pytest
import responses

from messaging.providers.base import OutboundMessage, ProviderError, WhatsAppTemplateCall
from messaging.providers.sandbox import SandboxEmailProvider, SandboxSmsProvider, SandboxWhatsAppProvider

TEMPLATE = WhatsAppTemplateCall("shipment_delivered", "en", ("Acme",))


def whatsapp(to: str = "+31612345678", **kw) -> OutboundMessage:
    return OutboundMessage(message_id=1, channel="whatsapp", to=to, body="b", whatsapp=TEMPLATE, **kw)


def sms(to: str = "+31612345678") -> OutboundMessage:
    return OutboundMessage(message_id=2, channel="sms", to=to, body="Your parcel was delivered")


def email(to: str = "ann@example.com") -> OutboundMessage:
    return OutboundMessage(message_id=3, channel="email", to=to, body="b", subject="Delivered",
                           unsubscribe_url="https://parcelcast.test/unsubscribe/t/")


@pytest.fixture(autouse=True)
def no_network():
    # Nothing registered: any HTTP request from a sandbox provider fails the test.
    with responses.RequestsMock(assert_all_requests_are_fired=True):
        yield


def test_sandbox_whatsapp_returns_a_wamid_and_records_the_payload():
    result = SandboxWhatsAppProvider().send(whatsapp())
    assert result.provider == "sandbox"
    assert re.fullmatch(r"wamid\.SANDBOX[0-9A-F]{32}", result.provider_message_id)
    assert result.raw["request"]["template"]["name"] == "shipment_delivered"
    assert result.raw["request"]["biz_opaque_callback_data"] == "1"


def test_sandbox_sms_returns_a_twilio_style_sid_and_records_the_form():
    result = SandboxSmsProvider().send(sms())
    assert re.fullmatch(r"SM[0-9a-f]{32}", result.provider_message_id)
    assert result.raw["request"]["Body"] == "Your parcel was delivered"


def test_sandbox_email_returns_a_message_id_and_records_headers():
    result = SandboxEmailProvider().send(email())
    assert re.fullmatch(r"<[0-9a-f]{32}@sandbox\.parcelcast>", result.provider_message_id)
    assert result.raw["request"]["headers"]["List-Unsubscribe"] == "<https://parcelcast.test/unsubscribe/t/>"


def test_ids_differ_between_sends():
    provider = SandboxSmsProvider()
    assert provider.send(sms()).provider_message_id != provider.send(sms()).provider_message_id


@pytest.mark.parametrize("provider, msg, code", [
    (SandboxWhatsAppProvider(), whatsapp("+31612340000"), "131026"),
    (SandboxSmsProvider(), sms("+31612340002"), "21211"),
])
def test_a_number_not_on_whatsapp_and_an_invalid_number_fail_permanently(provider, msg, code):
    with pytest.raises(ProviderError) as caught:
        provider.send(msg)
    assert (caught.value.kind, caught.value.code) == ("permanent", code)


def test_a_shopper_not_on_whatsapp_still_gets_a_text():
    assert SandboxSmsProvider().send(sms("+31612340000")).provider_message_id.startswith("SM")


@pytest.mark.parametrize("provider, msg, code", [
    (SandboxWhatsAppProvider(), whatsapp("+31612340001"), "131050"),
    (SandboxSmsProvider(), sms("+31612340001"), "21610"),
])
def test_phone_ending_in_0001_is_an_opt_out(provider, msg, code):
    with pytest.raises(ProviderError) as caught:
        provider.send(msg)
    assert (caught.value.kind, caught.value.code) == ("opt_out", code)


@pytest.mark.parametrize("address", ["bounce@example.com", "Bounce+demo@example.com"])
def test_email_local_part_bounce_fails_permanently(address):
    with pytest.raises(ProviderError) as caught:
        SandboxEmailProvider().send(email(address))
    assert (caught.value.kind, caught.value.code) == ("permanent", "recipient_refused")


def test_sandbox_validates_like_the_real_provider():
    with pytest.raises(ProviderError) as caught:
        SandboxWhatsAppProvider().send(OutboundMessage(message_id=1, channel="whatsapp", to="+31612345678", body="b"))
    assert caught.value.code == "missing_template"
    with pytest.raises(ProviderError):
        SandboxSmsProvider().send(sms("12"))


def test_sandbox_refuses_a_message_of_another_channel():
    with pytest.raises(ProviderError) as caught:
        SandboxEmailProvider().send(sms())
    assert caught.value.code == "wrong_channel"
