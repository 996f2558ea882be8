"""Dates written the way shoppers read them, per message language, without Babel.

Only what messages need: a day with its month name ("14 May 2026", "14. Mai 2026").
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
}
_FORMATS = {
    "en": "{day} {month} {year}",
    "fr": "{day} {month} {year}",
    "de": "{day}. {month} {year}",
    "nl": "{day} {month} {year}",
    "es": "{day} de {month} de {year}",
    "it": "{day} {month} {year}",
}


def format_date(value: dt.date | dt.datetime | None, language: str) -> str:
    """'' for no date; a datetime is shown as its date in the platform time zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    language = language if language in _MONTHS else "en"
    day = "1er" if language == "fr" and value.day == 1 else str(value.day)
    month = _MONTHS[language][value.month - 1]
    return _FORMATS[language].format(day=day, month=month, year=value.year)


def format_short_date(value: dt.date | dt.datetime | None, language: str) -> str:
    """The same date without its year ("14 May", "14. Mai"): for SMS, where room is money and the
    date is days away."""
    full = format_date(value, language)
    if not full:
        return ""
    year = full.rsplit(" ", 1)[-1]
    return full[: -len(year)].rstrip().removesuffix(" de")
