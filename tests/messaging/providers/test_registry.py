import pytest
from django.core.exceptions import ImproperlyConfigured

from messaging.providers import UnknownChannel, get_provider
from messaging.providers.email import DjangoMailProvider
from messaging.providers.sandbox import SandboxEmailProvider, SandboxSmsProvider, SandboxWhatsAppProvider
from messaging.providers.twilio_sms import TwilioSmsProvider
from messaging.providers.whatsapp import WhatsAppCloudProvider

WHATSAPP = {"WHATSAPP_ACCESS_TOKEN": "EAAG-token", "WHATSAPP_PHONE_NUMBER_ID": "1065403"}
TWILIO = {"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "tok", "TWILIO_FROM_NUMBER": "+14155552345"}


def test_without_credentials_every_channel_gets_its_sandbox():
    assert isinstance(get_provider("whatsapp", {}), SandboxWhatsAppProvider)
    assert isinstance(get_provider("sms", {}), SandboxSmsProvider)
    assert isinstance(get_provider("email", {}), SandboxEmailProvider)


def test_whatsapp_credentials_give_the_cloud_provider_with_default_base_url():
    provider = get_provider("whatsapp", WHATSAPP)
    assert isinstance(provider, WhatsAppCloudProvider)
    assert provider.url == "https://graph.facebook.com/v23.0/1065403/messages"


def test_whatsapp_base_url_is_configurable():
    provider = get_provider("whatsapp", {**WHATSAPP, "WHATSAPP_API_BASE_URL": "http://graph.local/v99.0/"})
    assert provider.url == "http://graph.local/v99.0/1065403/messages"


def test_twilio_credentials_give_the_twilio_provider():
    provider = get_provider("sms", TWILIO)
    assert isinstance(provider, TwilioSmsProvider)
    assert (provider.account_sid, provider.from_number) == ("AC123", "+14155552345")
    assert provider.base_url == "https://api.twilio.com"


def test_half_configured_credentials_are_an_error_naming_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="WHATSAPP_PHONE_NUMBER_ID"):
        get_provider("whatsapp", {"WHATSAPP_ACCESS_TOKEN": "EAAG-token"})
    with pytest.raises(ImproperlyConfigured, match="TWILIO_FROM_NUMBER"):
        get_provider("sms", {"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "tok"})


@pytest.mark.parametrize("backend", ["django.core.mail.backends.console.EmailBackend",
                                     "django.core.mail.backends.locmem.EmailBackend"])
def test_console_and_locmem_mail_backends_use_the_email_sandbox(backend):
    assert isinstance(get_provider("email", {"EMAIL_BACKEND": backend}), SandboxEmailProvider)


def test_a_real_mail_backend_uses_django_mail_with_the_default_from():
    provider = get_provider("email", {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                      "DEFAULT_FROM_EMAIL": "Acme <n@acme.example>"})
    assert isinstance(provider, DjangoMailProvider)
    assert provider.from_email == "Acme <n@acme.example>"


def test_settings_are_read_when_no_config_is_given(settings):
    settings.WHATSAPP_ACCESS_TOKEN = "EAAG-from-settings"
    settings.WHATSAPP_PHONE_NUMBER_ID = "555"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

    whatsapp = get_provider("whatsapp")
    assert isinstance(whatsapp, WhatsAppCloudProvider)
    assert whatsapp.access_token == "EAAG-from-settings"
    assert isinstance(get_provider("email"), DjangoMailProvider)


def test_default_test_settings_give_sandboxes(settings):
    settings.WHATSAPP_ACCESS_TOKEN = settings.WHATSAPP_PHONE_NUMBER_ID = ""
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = settings.TWILIO_FROM_NUMBER = ""
    assert get_provider("whatsapp").name == get_provider("sms").name == get_provider("email").name == "sandbox"


def test_unknown_channel_is_refused():
    with pytest.raises(UnknownChannel):
        get_provider("pigeon", {})
