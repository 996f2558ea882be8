import functools
import re
import zoneinfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_e164(value: str) -> None:
    """A phone number written in E.164 (+ and country code) that is a valid number."""
    if not value:
        return
    message = _("Enter a valid phone number in international E.164 format, e.g. +31612345678.")
    if not value.startswith("+") or not value[1:].isdigit():
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")


# Control characters and invisible layout marks: line breaks, tabs, zero-width and bidi overrides.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def validate_display_text(value: str) -> None:
    """Text shown to shoppers (messages, the tracking page) or put in e-mail headers (a brand as
    the sender's display name, a company in an invitation's subject): one plain line, nothing that
    could break a message apart or disguise what it says. A line break in a header makes Django
    refuse every e-mail that carries it (`bad_header`), so it is refused when typed instead."""
    if _CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(
            _("Use plain text on one line: no line breaks, tabs or other control characters."),
            code="control_characters",
        )


def validate_time_zone(value: str) -> None:
    """An IANA time zone name the installed tz database knows ("Europe/Amsterdam", "UTC")."""
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone; choose one such as Europe/Amsterdam.") % {"value": value},
            code="invalid_time_zone",
        )


@functools.cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
