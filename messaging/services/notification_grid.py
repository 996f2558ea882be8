"""The grid's bulk writes: several countries (or a region) added at once, a whole row, column or
channel switched, a brand's settings copied from another brand of the same account.

Each is one call of notifications._apply: one transaction holding the account row, the plan
checked on the whole result, one audit row with before and after. A refused change changes
nothing; every problem of the input is named in one answer (RuleViolation per field).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from brands.audit import Actor
from brands.models import Brand
from core.errors import RuleViolation, Violations
from messaging.channels import channel_of
from messaging.models import Channel
from messaging.regions import REGIONS, region_countries
from messaging.selectors import ChannelDocument, channel_document
from messaging.services.notifications import _apply, _check_channel, _clean_country, _quote
from tracking.statuses import ALL_CODES


def channel_countries_add(
    *, brand: Brand, channel: str, countries: Iterable[str] = (), region: str = "",
    statuses: Iterable[str] | None = None, actor: Actor | None = None,
) -> ChannelDocument:
    """Add destination countries (given one by one, as a region, or both) in one write.

    New countries start with `statuses` on and every other status off; None means the channel's
    starting statuses (WhatsApp: the essentials). Countries already added keep their choices."""
    _check_channel(channel)
    found, codes, starting = Violations(), [], set()
    with found.check():
        codes = _clean_many(countries, region)
    with found.check():
        starting = _clean_statuses(channel, statuses)
    found.raise_any()

    def change(document: ChannelDocument) -> ChannelDocument:
        for code in codes:
            document.countries.setdefault(code, {status: status in starting for status in ALL_CODES})
        return document

    return _apply(brand, channel, change, actor)


def status_toggles_set(
    *, brand: Brand, channel: str, enabled: bool, countries: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None, actor: Actor | None = None,
) -> ChannelDocument:
    """Switch many toggles at once: a row (one status, countries None = every added country), a
    column (one country, statuses None = every status) or the whole channel (both None)."""
    _check_channel(channel)
    found, codes, wanted = Violations(), None, list(ALL_CODES)
    if countries is not None:
        with found.check():
            codes = _clean_many(countries, "")
    if statuses is not None:
        with found.check():
            wanted = [status for status in ALL_CODES if status in _clean_statuses(channel, statuses)]
    found.raise_any()

    def change(document: ChannelDocument) -> ChannelDocument:
        missing = [code for code in (codes or []) if code not in document.countries]
        if missing:
            raise RuleViolation("countries", _("Add %(countries)s to %(channel)s before choosing its statuses.")
                                % {"countries": ", ".join(missing), "channel": Channel(channel).label},
                                code="country_not_added")
        for code in document.countries if codes is None else codes:
            for status in wanted:
                document.countries[code][status] = bool(enabled)
        return document

    return _apply(brand, channel, change, actor)


def channel_copy_from(*, brand: Brand, channel: str, source: Brand, actor: Actor | None = None) -> ChannelDocument:
    """Give `brand` the countries and status choices `source` has on `channel` (its on/off switch
    stays as it is). Both brands must be of the same account."""
    _check_channel(channel)
    if source.account_id != brand.account_id:  # the panel looks the source up through the account
        raise RuleViolation("source", _("Copy from a brand of your own account."), code="not_found")
    if source.pk == brand.pk:
        raise RuleViolation("source", _("Choose another brand to copy from."), code="same_brand")
    copied = channel_document(brand=source, channel=channel).countries

    def change(document: ChannelDocument) -> ChannelDocument:
        document.countries = {code: dict(statuses) for code, statuses in copied.items()}
        return document

    return _apply(brand, channel, change, actor)


def _clean_many(countries: Iterable[str], region: str) -> list[str]:
    if isinstance(countries, str):
        countries = [countries]
    found, codes = Violations(), []
    if region:
        expanded = region_countries(region)
        with found.check():
            if expanded is None:
                raise RuleViolation("region", _("%(region)s is not a region; use one of %(regions)s.")
                                    % {"region": _quote(region), "regions": ", ".join(REGIONS)}, code="invalid_region")
        codes.extend(expanded or ())
    for country in countries:
        with found.check():
            codes.append(_clean_country(country))
    found.raise_any()
    if not codes:
        raise RuleViolation("countries", _("Choose at least one country or a region."), code="required")
    return list(dict.fromkeys(codes))


def _clean_statuses(channel: str, statuses: Iterable[str] | None) -> set[str]:
    if statuses is None:
        return set(channel_of(channel).starting_statuses)
    found, wanted = Violations(), set()
    for status in statuses:
        with found.check():
            if status not in ALL_CODES:
                raise RuleViolation("statuses", _("%(status)s is not a status; use one of %(statuses)s.")
                                    % {"status": _quote(status), "statuses": ", ".join(ALL_CODES)},
                                    code="invalid_status")
            wanted.add(status)
    found.raise_any()
    return wanted
