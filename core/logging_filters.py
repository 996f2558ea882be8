"""Personal data never reaches the logs in clear: phone numbers and e-mail addresses are masked.

`MaskPersonalData` is a logging.Filter on every handler (settings.LOGGING). It formats the record's
message with its arguments, masks E.164 numbers and e-mail addresses in the result (and in the
traceback text), and stores the masked text as the message, so no formatter or handler can
reach the originals.
"""

from __future__ import annotations

import logging
import re

# E.164: "+" then 7 to 15 digits (a leading zero is not a country code).
E164 = re.compile(r"(?<![\w+])\+[1-9]\d{6,14}(?!\d)")
# Providers write numbers without "+" in their payloads (WhatsApp's wa_id, recipient_id, from):
# digits under a key that names a person's number, in a logged dict or JSON text.
KEYED_NUMBER = re.compile(
    r"""(["']?(?:wa_id|recipient_id|from|to|sender|recipient|phone|From|To)["']?\s*[:=]\s*["']?)\+?(\d{6,15})\b"""
)
EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def mask_phone(match: re.Match) -> str:
    number = match.group(0)
    return f"{number[:3]}***{number[-2:]}"


def mask_email(match: re.Match) -> str:
    return f"{match.group(0)[:1]}***@{match.group(1)}"


def mask_keyed_number(match: re.Match) -> str:
    digits = match.group(2)
    return f"{match.group(1)}{digits[:2]}***{digits[-2:]}"


def mask_personal_data(text: str) -> str:
    return EMAIL.sub(mask_email, KEYED_NUMBER.sub(mask_keyed_number, E164.sub(mask_phone, text)))


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not hide the record
            message = str(record.msg)
        record.msg = mask_personal_data(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True
