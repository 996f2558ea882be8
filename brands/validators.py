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
