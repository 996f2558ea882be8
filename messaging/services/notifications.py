"""Writes of notification settings: a brand's channel document, replaced as a whole.

The document is checked completely (shape, countries, statuses, plan, consent) before anything is
written, in one transaction that holds the account row: a refused change changes nothing, and two
brands of one account cannot race each other past a plan limit. The panel's small edits (switch,
add/remove a country, flip a toggle) go through the same path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries as ISO_COUNTRIES

from brands.audit import Actor, audit_record
from brands.models import Account, Brand
from core.errors import RuleViolation, Violations
from messaging.channels import channel_of
from messaging.models import Channel, ChannelCountry, ChannelSetting, StatusToggle
from messaging.selectors import ChannelDocument, channel_document
from tracking.statuses import ALL_CODES

_STATUSES = frozenset(ALL_CODES)
_QUOTE = 24  # how much of a bad key we quote back
_MAX_REPORTED = 20  # problems of one document named in one answer


def channel_document_replace(
    *, brand: Brand, channel: str, enabled: Any, countries: Any, document_channel: Any = None,
    actor: Actor | None = None,
) -> ChannelDocument:
    """Replace the brand's configuration of `channel` with this document.

    `countries` maps ISO alpha-2 codes to {status: bool}; statuses left out (or an empty object)
    are on. `document_channel`, when given, must name the same channel as the URL.
    """
    _check_channel(channel)
    found, wanted = Violations(), {}
    with found.check():
        if document_channel is not None and document_channel != channel:
            raise RuleViolation(
                "channel", f"The document is for {_quote(document_channel)} but the URL is for '{channel}'.",
                code="channel_mismatch",
            )
    with found.check():
        if not isinstance(enabled, bool):
            raise RuleViolation("enabled", "Give enabled as true or false.", code="invalid")
    with found.check():
        wanted = clean_countries(countries)
    found.raise_any()
    return _apply(brand, channel, lambda document: ChannelDocument(channel, enabled, wanted), actor)


def channel_set_enabled(*, brand: Brand, channel: str, enabled: bool, actor: Actor | None = None) -> ChannelDocument:
    _check_channel(channel)

    def change(document: ChannelDocument) -> ChannelDocument:
        document.enabled = bool(enabled)
        return document

    return _apply(brand, channel, change, actor)


def channel_country_add(*, brand: Brand, channel: str, country: str, actor: Actor | None = None) -> ChannelDocument:
    """Add a destination country with every status on (a no-op when it is there already)."""
    _check_channel(channel)
    code = _clean_country(country)

    def change(document: ChannelDocument) -> ChannelDocument:
        document.countries.setdefault(code, dict.fromkeys(ALL_CODES, True))
        return document

    return _apply(brand, channel, change, actor)


def channel_country_remove(
    *, brand: Brand, channel: str, country: str, actor: Actor | None = None
) -> ChannelDocument:
    """Remove a destination country and its toggles (a no-op when it is not there)."""
    _check_channel(channel)
    code = _clean_country(country)

    def change(document: ChannelDocument) -> ChannelDocument:
        document.countries.pop(code, None)
        return document

    return _apply(brand, channel, change, actor)


def status_toggle_set(
    *, brand: Brand, channel: str, country: str, status: str, enabled: bool, actor: Actor | None = None
) -> ChannelDocument:
    _check_channel(channel)
    code = _clean_country(country)
    _check_status(code, status)

    def change(document: ChannelDocument) -> ChannelDocument:
        if code not in document.countries:
            raise RuleViolation(
                "country", _("Add %(countries)s to %(channel)s before choosing its statuses.")
                % {"countries": code, "channel": Channel(channel).label},
                code="country_not_added",
            )
        document.countries[code][status] = bool(enabled)
        return document

    return _apply(brand, channel, change, actor)


# --- validation --------------------------------------------------------------------------------


def clean_countries(raw: Any) -> dict[str, dict[str, bool]]:
    """{country: {status: bool}} with every status present; RuleViolation naming everything wrong."""
    if not isinstance(raw, Mapping):
        raise RuleViolation("countries", 'Give countries as an object, e.g. {"NL": {"delivered": true}}.',
                            code="invalid")
    found = Violations()
    cleaned: dict[str, dict[str, bool]] = {}
    for country, statuses in raw.items():
        with found.check():
            code = _clean_country(country)
            cleaned[code] = _clean_statuses(code, {} if statuses is None else statuses, found)
        if len(found) >= _MAX_REPORTED:  # enough to fix the document, short enough to read
            break
    found.raise_any()
    return cleaned


def _clean_statuses(country: str, statuses: Any, found: Violations) -> dict[str, bool]:
    if not isinstance(statuses, Mapping):
        raise RuleViolation(
            "countries", f"{country}: give the statuses as an object of status: true/false.", code="invalid"
        )
    for status, on in statuses.items():
        with found.check():
            _check_status(country, status)
            if not isinstance(on, bool):
                raise RuleViolation("countries", f"{country}: give {status} as true or false.", code="invalid")
        if len(found) >= _MAX_REPORTED:
            break
    return {status: statuses.get(status, True) for status in ALL_CODES}


def _clean_country(country: Any) -> str:
    # Strict: exactly the upper-case ISO 3166-1 alpha-2 code, as everywhere else in the API.
    if not isinstance(country, str) or len(country) != 2 or not country.isupper() or country not in ISO_COUNTRIES:
        raise RuleViolation(
            "countries", _("%(country)s is not an ISO 3166-1 alpha-2 country code (e.g. NL).") % {"country": _quote(country)},
            code="invalid_country",
        )
    return country


def _check_status(country: str, status: Any) -> None:
    if status not in _STATUSES:
        raise RuleViolation(
            "countries", f"{country}: {_quote(status)} is not a status; use one of {', '.join(ALL_CODES)}.",
            code="invalid_status",
        )


def _check_channel(channel: str) -> None:
    if channel not in Channel.values:
        raise RuleViolation("channel", f"{_quote(channel)} is not a channel; use {', '.join(Channel.values)}.",
                            code="invalid_channel")


def _quote(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…")


# --- writing -----------------------------------------------------------------------------------


@transaction.atomic
def _apply(
    brand: Brand, channel: str, change: Callable[[ChannelDocument], ChannelDocument], actor: Actor | None = None
) -> ChannelDocument:
    # Every settings write of an account takes this lock first: limits are checked and written
    # as one step, and concurrent edits of one brand apply one after the other.
    account = Account.objects.select_for_update().get(pk=brand.account_id)
    brand.account = account
    before = channel_document(brand=brand, channel=channel).as_dict()
    document = change(channel_document(brand=brand, channel=channel))
    channel_of(channel).check_settings(account=account, brand=brand, enabled=document.enabled,
                                       countries=set(document.countries))
    _write(brand, document)
    after = channel_document(brand=brand, channel=channel)
    if after.as_dict() != before:
        audit_record(account=account, action="notifications.update", actor=actor, object_type="brand",
                     object_id=brand.pk, channel=channel, before=before, after=after.as_dict())
    return after


def _write(brand: Brand, document: ChannelDocument) -> None:
    setting, created = ChannelSetting.objects.get_or_create(
        brand=brand, channel=document.channel, defaults={"enabled": document.enabled}
    )
    if not created and setting.enabled != document.enabled:
        setting.enabled = document.enabled
        setting.save(update_fields=["enabled", "updated_at"])
    # Removing a country removes its toggles (cascade).
    ChannelCountry.objects.filter(setting=setting).exclude(country__in=list(document.countries)).delete()
    have = set(ChannelCountry.objects.filter(setting=setting).values_list("country", flat=True))
    ChannelCountry.objects.bulk_create(
        [ChannelCountry(setting=setting, country=code) for code in document.countries if code not in have]
    )
    rows = {row.country.code: row for row in ChannelCountry.objects.filter(setting=setting)}
    toggles = {
        (toggle.channel_country_id, toggle.status): toggle
        for toggle in StatusToggle.objects.filter(channel_country__setting=setting)
    }
    to_create, to_update = [], []
    for code, statuses in document.countries.items():
        row = rows[code]
        for status, on in statuses.items():
            toggle = toggles.get((row.pk, status))
            if toggle is None:
                to_create.append(StatusToggle(channel_country=row, status=status, enabled=on))
            elif toggle.enabled != on:
                toggle.enabled = on
                to_update.append(toggle)
    StatusToggle.objects.bulk_create(to_create)
    StatusToggle.objects.bulk_update(to_update, ["enabled"])
