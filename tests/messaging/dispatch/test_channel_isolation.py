"""One channel's trouble stays on that channel (DESIGN, send decisions, rule 5): a provider that is
not configured fails its own messages with `provider_not_configured` and holds back no other
channel; half-set credentials stop start-up through a system check."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from messaging.checks import provider_credentials
from messaging.dispatch import sending
from messaging.models import Message, MessageState
from messaging.providers.registry import get_provider as real_get_provider

pytestmark = pytest.mark.django_db
NO_CREDENTIALS = {"WHATSAPP_ACCESS_TOKEN": "", "WHATSAPP_PHONE_NUMBER_ID": "", "TWILIO_ACCOUNT_SID": "",
                  "TWILIO_AUTH_TOKEN": "", "TWILIO_FROM_NUMBER": ""}


@pytest.fixture
def credentials(settings):
    def set_(**values):
        for name, value in {**NO_CREDENTIALS, **values}.items():
            setattr(settings, name, value)
    return set_


def accepted_by_channel(shipment) -> dict[str, bool]:
    return {channel: sent_at is not None
            for channel, sent_at in Message.objects.filter(shipment=shipment).values_list("channel", "sent_at")}


def test_an_sms_provider_with_half_set_credentials_fails_only_the_sms(credentials, shipment, move):
    credentials(TWILIO_AUTH_TOKEN="only-for-webhook-signatures")

    move(shipment, "out_for_delivery")  # planned, and sent by the planning task itself

    assert accepted_by_channel(shipment) == {"whatsapp": True, "email": True, "sms": False}
    sms = Message.objects.get(shipment=shipment, channel="sms")
    assert (sms.state, sms.error_code) == (MessageState.FAILED, "provider_not_configured")
    assert "TWILIO_ACCOUNT_SID" in sms.error_message and sms.failed_at is not None


def test_a_provider_that_raises_while_being_built_holds_back_no_other_channel(shipment, move):
    def get_provider(channel):
        if channel == "email":
            raise RuntimeError("smtp backend could not be imported")
        return real_get_provider(channel)

    with mock.patch("messaging.dispatch.sending.get_provider", side_effect=get_provider):
        move(shipment, "out_for_delivery")

    assert accepted_by_channel(shipment) == {"whatsapp": True, "sms": True, "email": False}
    email = Message.objects.get(shipment=shipment, channel="email")
    assert (email.state, email.error_code) == (MessageState.FAILED, sending.NOT_CONFIGURED)


@pytest.mark.parametrize("values, check_id, named", [
    ({"TWILIO_AUTH_TOKEN": "t"}, "messaging.E002",
     "TWILIO_AUTH_TOKEN set without TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER"),
    ({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"}, "messaging.E002", "set without TWILIO_FROM_NUMBER."),
    ({"WHATSAPP_ACCESS_TOKEN": "EAAG"}, "messaging.E001", "WHATSAPP_ACCESS_TOKEN set without WHATSAPP_PHONE_NUMBER_ID"),
    ({"WHATSAPP_PHONE_NUMBER_ID": "1065"}, "messaging.E001",
     "WHATSAPP_PHONE_NUMBER_ID set without WHATSAPP_ACCESS_TOKEN"),
])
def test_half_set_credentials_stop_the_system_check_naming_what_is_missing(credentials, values, check_id, named):
    credentials(**values)

    errors = provider_credentials()

    assert [error.id for error in errors] == [check_id] and named in errors[0].msg
    with pytest.raises(SystemCheckError, match=check_id):
        call_command("check")


@pytest.mark.parametrize("values", [
    {},
    {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM_NUMBER": "+3197"},
    {"WHATSAPP_ACCESS_TOKEN": "EAAG", "WHATSAPP_PHONE_NUMBER_ID": "1065"},
])
def test_credentials_set_in_full_or_not_at_all_pass_the_check(credentials, values):
    credentials(**values)

    assert provider_credentials() == []


def test_the_test_settings_pass_the_provider_check():
    assert provider_credentials() == []
