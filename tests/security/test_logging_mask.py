"""Phone numbers and e-mail addresses are masked in every log line."""

import logging

from core.logging_filters import MaskPersonalData, mask_personal_data


def test_phone_numbers_and_email_addresses_are_masked():
    text = mask_personal_data("to +31612345678 and sanne.de.vries@example.com, order #10428 (+31 ok)")

    assert "+31612345678" not in text and "sanne.de.vries" not in text
    assert "+31***78" in text and "s***@example.com" in text
    assert "#10428" in text  # other numbers stay readable


def test_the_filter_masks_the_formatted_message_args_and_traceback(caplog):
    logger = logging.getLogger("tests.security.mask")
    handler = logging.Handler()
    handler.addFilter(MaskPersonalData())
    records = []
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad recipient shopper@example.com")
        except ValueError:
            logger.exception("send to %s failed for %s", "+4915112345678", {"email": "a.b@shop.example"})
    finally:
        logger.removeHandler(handler)

    record = records[0]
    line = logging.Formatter().format(record)
    assert "+4915112345678" not in line and "a.b@shop.example" not in line and "shopper@example.com" not in line
    assert "+49***78" in line and "a***@shop.example" in line and "s***@example.com" in line


def test_the_logging_settings_put_the_filter_on_every_handler(settings):
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_personal_data" in handler.get("filters", []), name


def test_provider_numbers_without_a_plus_are_masked_under_their_keys():
    text = mask_personal_data("skipped: {'id': 'wamid.X', 'recipient_id': '31612345678', 'timestamp': '1763629200'}")
    assert "31612345678" not in text and "'recipient_id': '31***78'" in text
    assert "1763629200" in text  # a timestamp is not a phone number
    assert "31612345678" not in mask_personal_data('{"from": "31612345678", "wa_id": "4915112345678"}')
