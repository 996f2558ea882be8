import smtplib
import socket
import time
from email import message_from_bytes, policy

import pytest

from messaging.providers.base import OutboundMessage, ProviderError
from messaging.providers.email import DjangoMailProvider

FROM = "Parcelcast <notifications@parcelcast.test>"
UNSUBSCRIBE = "https://parcelcast.test/unsubscribe/tok_abc123/"


def message(**overrides) -> OutboundMessage:
    fields = dict(
        message_id=99, channel="email", to="shopper@example.com", subject="Your parcel is out for delivery",
        body="Hi Ann, your parcel arrives today.", html="<p>Hi Ann, your parcel arrives <b>today</b>.</p>",
        unsubscribe_url=UNSUBSCRIBE, from_name="Acme Shoes", reply_to="support@acme.example",
    )
    fields.update(overrides)
    return OutboundMessage(**fields)


@pytest.fixture
def provider(settings) -> DjangoMailProvider:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return DjangoMailProvider(from_email=FROM)


def test_send_delivers_text_and_html_with_brand_name_and_reply_to(provider, mailoutbox):
    provider.send(message())

    [mail] = mailoutbox
    assert mail.to == ["shopper@example.com"]
    assert mail.subject == "Your parcel is out for delivery"
    assert mail.from_email == "Acme Shoes <notifications@parcelcast.test>"
    assert mail.reply_to == ["support@acme.example"]
    assert mail.body == "Hi Ann, your parcel arrives today."
    assert mail.alternatives[0][1] == "text/html"
    assert "<b>today</b>" in mail.alternatives[0][0]


def test_one_click_unsubscribe_headers_follow_rfc_8058(provider, mailoutbox):
    provider.send(message())

    headers = message_from_bytes(mailoutbox[0].message().as_bytes())
    assert headers["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_plain_http_unsubscribe_url_gets_no_one_click_header(provider, mailoutbox):
    provider.send(message(unsubscribe_url="http://localhost:8000/unsubscribe/tok/"))

    headers = mailoutbox[0].extra_headers
    assert headers["List-Unsubscribe"] == "<http://localhost:8000/unsubscribe/tok/>"
    assert "List-Unsubscribe-Post" not in headers


def test_no_unsubscribe_url_means_no_list_headers(provider, mailoutbox):
    provider.send(message(unsubscribe_url=""))
    assert not {"List-Unsubscribe", "List-Unsubscribe-Post"} & set(mailoutbox[0].extra_headers)


def test_generated_message_id_is_sent_and_returned_as_provider_id(provider, mailoutbox):
    result = provider.send(message())

    parsed = message_from_bytes(mailoutbox[0].message().as_bytes())
    assert result.provider == "django_mail"
    assert parsed["Message-ID"] == result.provider_message_id
    assert result.provider_message_id.startswith("<") and result.provider_message_id.endswith("@parcelcast.test>")
    assert parsed["X-Parcelcast-Message"] == "99"


def test_each_send_gets_a_new_message_id(provider, mailoutbox):
    assert provider.send(message()).provider_message_id != provider.send(message()).provider_message_id


@pytest.mark.parametrize("brand", ["Café Noir, Ltd", "Acme, Inc."])
def test_brand_names_with_commas_or_accents_stay_one_sender(provider, mailoutbox, brand):
    provider.send(message(from_name=brand))
    parsed = message_from_bytes(mailoutbox[0].message().as_bytes(), policy=policy.default)
    [address] = parsed["From"].addresses
    assert (address.display_name, address.addr_spec) == (brand, "notifications@parcelcast.test")


def test_newlines_in_subject_are_flattened(provider, mailoutbox):
    provider.send(message(subject="Out for\ndelivery\r\n today"))
    assert mailoutbox[0].subject == "Out for delivery today"


def test_text_only_message_has_no_alternative(provider, mailoutbox):
    provider.send(message(html=""))
    assert mailoutbox[0].alternatives == []


def test_invalid_address_is_permanent_and_nothing_is_sent(provider, mailoutbox):
    with pytest.raises(ProviderError) as caught:
        provider.send(message(to="not-an-address"))
    assert (caught.value.kind, caught.value.code) == ("permanent", "invalid_recipient")
    assert mailoutbox == []


class _FailingConnection:
    """A backend stand-in that raises what a real backend would."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def send_messages(self, messages):
        raise self.exc


def test_refused_recipient_is_permanent():
    provider = DjangoMailProvider(FROM, connection=_FailingConnection(
        smtplib.SMTPRecipientsRefused({"shopper@example.com": (550, b"5.1.1 User unknown")})))
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("permanent", "recipient_refused")


@pytest.mark.parametrize("exc, code", [
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "SMTPServerDisconnected"),
    (smtplib.SMTPDataError(451, b"4.3.0 Try again later"), "smtp_451"),
    (ConnectionRefusedError(111, "Connection refused"), "ConnectionRefusedError"),
    (TimeoutError("timed out"), "TimeoutError"),
])
def test_smtp_and_socket_failures_are_transient(exc, code):
    provider = DjangoMailProvider(FROM, connection=_FailingConnection(exc))
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", code)


def test_anymail_recipients_refused_is_permanent_without_importing_anymail():
    class AnymailRecipientsRefused(Exception):
        pass

    provider = DjangoMailProvider(FROM, connection=_FailingConnection(AnymailRecipientsRefused("rejected")))
    with pytest.raises(ProviderError) as caught:
        provider.send(message())
    assert caught.value.kind == "permanent"


def test_backend_that_reports_nothing_sent_is_transient():
    class _NothingSent:
        def send_messages(self, messages):
            return 0

    with pytest.raises(ProviderError) as caught:
        DjangoMailProvider(FROM, connection=_NothingSent()).send(message())
    assert (caught.value.kind, caught.value.code) == ("transient", "not_sent")


def test_a_mail_server_that_never_answers_fails_the_send_after_email_timeout(settings):
    # given: a server on loopback that takes the connection and never sends its greeting
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 0.3
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.EMAIL_HOST, settings.EMAIL_PORT = silent.getsockname()
        started = time.monotonic()

        # when
        with pytest.raises(ProviderError) as caught:
            DjangoMailProvider(FROM).send(message())

    # then
    assert caught.value.kind == "transient" and "timed out" in str(caught.value)
    assert time.monotonic() - started < 5
