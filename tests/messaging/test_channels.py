"""Each channel answers for itself: addresses, what the merchant may edit, what it costs."""

import pytest

from messaging.channels import CHANNELS, UnknownChannel, channel_of, editable_channels
from messaging.models import Channel
from tests.factories import ShipmentFactory


def test_every_channel_of_the_model_has_its_module():
    assert set(CHANNELS) == set(Channel.values)


def test_an_unknown_channel_is_refused_by_name():
    with pytest.raises(UnknownChannel, match="fax"):
        channel_of("fax")


@pytest.mark.parametrize(("code", "address", "usable"), [
    ("sms", "+31612345678", True),
    ("whatsapp", "+31612345678", True),
    ("sms", "0612345678", False),  # not E.164
    ("whatsapp", "+3161234", False),  # too short to be a number
    ("email", "sam@example.com", True),
    ("email", "+31612345678", False),
    ("email", "", False),
])
def test_each_channel_checks_its_own_kind_of_address(code, address, usable):
    assert channel_of(code).usable_address(address) is usable


@pytest.mark.django_db
def test_a_message_goes_to_the_address_its_channel_uses():
    shipment = ShipmentFactory(recipient_phone="+31612345678", recipient_email="sam@example.com")
    assert channel_of("email").address_of(shipment) == "sam@example.com"
    assert channel_of("sms").address_of(shipment) == channel_of("whatsapp").address_of(shipment) == "+31612345678"


def test_merchants_edit_email_and_sms_copy_but_whatsapp_uses_platform_templates():
    assert editable_channels() == ("email", "sms")
    assert not channel_of("whatsapp").editable


def test_only_whatsapp_is_billed_needs_consent_and_reports_reads():
    assert [code for code, c in CHANNELS.items() if c.billable] == ["whatsapp"]
    assert [code for code, c in CHANNELS.items() if c.needs_consent] == ["whatsapp"]
    assert [code for code, c in CHANNELS.items() if c.reports_reads] == ["whatsapp"]


def test_only_sms_is_priced_in_segments():
    assert channel_of("sms").segments("Hello").segments == 1
    assert channel_of("email").segments("Hello") is None


def test_a_behaviour_names_the_one_channel_that_has_it():
    from messaging.channels import channel_with

    assert channel_with("session_window") == "whatsapp"
    assert channel_with("takes_replies") == "sms"
    assert channel_with("asks_by_link") == "email"
    with pytest.raises(LookupError):
        channel_with("editable")  # SMS and e-mail: not one channel
