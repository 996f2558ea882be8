import re

import phonenumbers
from django.core.exceptions import ValidationError


def validate_e164(value: str) -> None:
    """A phone number written in E.164 (+ and country code) that is a valid number."""
    if not value:
        return
    message = "Enter a valid phone number in international E.164 format, e.g. +31612345678."
    if not value.startswith("+") or not value[1:].isdigit():
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")


# Line breaks and the other control characters (C0, DEL, C1) and the Unicode line separators.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """A name that goes into e-mail headers (a brand as the sender's display name, a company in
    an invitation's subject) is one line: with a line break Django refuses every e-mail that
    carries it (`bad_header`), so it is refused when typed, not when the e-mails fail."""
    if value and _NOT_ONE_LINE.search(value):
        raise ValidationError("Use a single line: no line breaks, tabs or control characters.", code="single_line")

