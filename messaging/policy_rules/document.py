"""The sending policy: values, defaults, and the check of the document of API.md.

    {"quiet_hours": {"enabled": true, "start": "21:00", "end": "08:00",
                     "except": ["out_for_delivery", "ready_for_pickup", "delivery_failed"]},
     "fallback": {"enabled": true, "order": ["whatsapp", "sms", "email"], "after_minutes": 30},
     "max_messages_per_shipment": 4, "consolidation_seconds": 0, "ready_to_ship": "label_created"}

A document replaces the policy whole; a key left out, at any level, takes its default, and the
defaults change nothing (quiet hours and fallback off, no cap, no consolidation, "ready to ship"
announced at label creation). `policy_from_document` names every problem in one RuleViolation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from django.utils.translation import gettext as _

from core.errors import RuleViolation, Violations
from messaging.channels import channel_of
from messaging.models import Channel, ReadyToShip
from tracking.statuses import ALL_CODES, Status

MAX_CAP = 50
MAX_AFTER_MINUTES = 1440
MAX_CONSOLIDATION_SECONDS = 86400
_HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_QUOTE = 24  # how much of a bad value we quote back
_MAX_UNKNOWN = 10  # unknown keys named in one answer


@dataclass(frozen=True)
class QuietHours:
    """A daily window in the shopper's local time; `start` == `end` is refused (empty or all day?)."""

    enabled: bool = False
    start: time = time(21, 0)
    end: time = time(8, 0)
    # Statuses the shopper must hear of at once, whatever the hour.
    except_statuses: frozenset[str] = frozenset(
        {Status.OUT_FOR_DELIVERY, Status.READY_FOR_PICKUP, Status.DELIVERY_FAILED}
    )

    @property
    def crosses_midnight(self) -> bool:
        return self.start > self.end


@dataclass(frozen=True)
class Fallback:
    enabled: bool = False
    order: tuple[str, ...] = ("whatsapp", "sms", "email")
    after_minutes: int = 30

    def after(self, replaced: str) -> tuple[str, ...]:
        """The channels that may take over from `replaced`, in order: those after it in the
        order, or all of them when the merchant left it out (a chain of the channels to use
        instead). The one rule for every fallback: a spend cap's and a failed or undelivered
        message's."""
        return self.order[self.order.index(replaced) + 1:] if replaced in self.order else self.order


@dataclass(frozen=True)
class Policy:
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    fallback: Fallback = field(default_factory=Fallback)
    max_messages_per_shipment: int | None = None  # None: no cap
    consolidation_seconds: int = 0  # 0: passing statuses go at once
    ready_to_ship: str = ReadyToShip.LABEL_CREATED

    def as_document(self) -> dict[str, Any]:
        quiet, fallback = self.quiet_hours, self.fallback
        return {
            "quiet_hours": {
                "enabled": quiet.enabled,
                "start": quiet.start.strftime("%H:%M"),
                "end": quiet.end.strftime("%H:%M"),
                "except": [code for code in ALL_CODES if code in quiet.except_statuses],
            },
            "fallback": {"enabled": fallback.enabled, "order": list(fallback.order),
                         "after_minutes": fallback.after_minutes},
            "max_messages_per_shipment": self.max_messages_per_shipment,
            "consolidation_seconds": self.consolidation_seconds,
            "ready_to_ship": str(self.ready_to_ship),
        }


DEFAULT_POLICY = Policy()


def policy_from_document(raw: Any) -> Policy:
    """The policy a document describes; RuleViolation naming every bad field ("quiet_hours.start")."""
    if not isinstance(raw, Mapping):
        raise RuleViolation("non_field_errors", _("Give the sending policy as a JSON object."), code="invalid")
    found = Violations()
    _check_keys(raw, ("quiet_hours", "fallback", "max_messages_per_shipment", "consolidation_seconds",
                      "ready_to_ship"), "", found)
    quiet = _section(raw, "quiet_hours", _quiet_hours, found)
    fallback = _section(raw, "fallback", _fallback, found)
    cap = _value(raw, "max_messages_per_shipment", DEFAULT_POLICY.max_messages_per_shipment, found,
                 lambda value: _int(value, "max_messages_per_shipment", 1, MAX_CAP, nullable=True))
    consolidation = _value(raw, "consolidation_seconds", DEFAULT_POLICY.consolidation_seconds, found,
                           lambda value: _int(value, "consolidation_seconds", 0, MAX_CONSOLIDATION_SECONDS))
    ready_to_ship = _value(raw, "ready_to_ship", DEFAULT_POLICY.ready_to_ship, found, _ready_to_ship)
    found.raise_any()
    return Policy(quiet_hours=quiet, fallback=fallback, max_messages_per_shipment=cap,
                  consolidation_seconds=consolidation, ready_to_ship=ready_to_ship)


# --- sections ----------------------------------------------------------------------------------


def _quiet_hours(raw: Mapping, found: Violations) -> QuietHours:
    default = DEFAULT_POLICY.quiet_hours
    _check_keys(raw, ("enabled", "start", "end", "except"), "quiet_hours.", found)
    enabled = _value(raw, "enabled", default.enabled, found, lambda value: _bool(value, "quiet_hours.enabled"))
    start = _value(raw, "start", default.start, found, lambda value: _time(value, "quiet_hours.start"))
    end = _value(raw, "end", default.end, found, lambda value: _time(value, "quiet_hours.end"))
    excepted = _value(raw, "except", default.except_statuses, found, _statuses)
    times_given_well = not {"quiet_hours.start", "quiet_hours.end"} & {each.field for each in found.found}
    with found.check():
        if start == end and times_given_well:
            raise RuleViolation("quiet_hours.end", _("Give an end different from the start (e.g. 21:00 to 08:00)."),
                                code="empty_window")
    return QuietHours(enabled=enabled, start=start, end=end, except_statuses=excepted)


def _fallback(raw: Mapping, found: Violations) -> Fallback:
    default = DEFAULT_POLICY.fallback
    _check_keys(raw, ("enabled", "order", "after_minutes"), "fallback.", found)
    enabled = _value(raw, "enabled", default.enabled, found, lambda value: _bool(value, "fallback.enabled"))
    order = _value(raw, "order", default.order, found, _channels)
    after = _value(raw, "after_minutes", default.after_minutes, found,
                   lambda value: _int(value, "fallback.after_minutes", 1, MAX_AFTER_MINUTES))
    fallback = Fallback(enabled=enabled, order=order, after_minutes=after)
    with found.check():
        if enabled and len(order) < 2:
            raise RuleViolation("fallback.order", _("Give at least two channels: one to try and one to fall back to."),
                                code="no_fallback_channel")
        # A channel that may be replaced (channels/*: `falls_back`) needs one after it, else the
        # switch does nothing for it.
        stranded = [code for code in order if channel_of(code).falls_back and not fallback.after(code)]
        if enabled and stranded:
            raise RuleViolation("fallback.order", _("%(channel)s is last, so nothing comes after it to fall back to: "
                                                    "put it first, or leave it out to fall back along the whole "
                                                    "order.") % {"channel": Channel(stranded[0]).label},
                                code="no_fallback_channel")
    return fallback


# --- values ------------------------------------------------------------------------------------


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise RuleViolation(name, _("Give true or false."), code="invalid")
    return value


def _time(value: Any, name: str) -> time:
    match = _HH_MM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise RuleViolation(name, _("%(value)s is not a time; give HH:MM on a 24-hour clock, e.g. 21:00.")
                            % {"value": _quote(value)},
                            code="invalid_time")
    return time(int(match[1]), int(match[2]))


def _int(value: Any, name: str, low: int, high: int, *, nullable: bool = False) -> int | None:
    """A whole number from `low` to `high` (or None, meaning no cap, when `nullable`).

    The same words serve the API and the panel, so they name no way of writing "no cap": JSON
    has null, the panel's form an empty field. The panel's languages say it the form's way
    (the API always answers in English)."""
    if nullable and value is None:
        return None
    limits = {"low": low, "high": high}
    if isinstance(value, bool) or not isinstance(value, int):
        message = (_("Give a whole number from %(low)d to %(high)d, or no value for no cap.") if nullable
                   else _("Give a whole number from %(low)d to %(high)d."))
        raise RuleViolation(name, message % limits, code="invalid")
    if not low <= value <= high:
        message = (_("Give a whole number from %(low)d to %(high)d, or no value for no cap; got %(value)d.")
                   if nullable else _("Give a whole number from %(low)d to %(high)d; got %(value)d."))
        raise RuleViolation(name, message % {**limits, "value": value}, code="out_of_range")
    return value


def _statuses(value: Any) -> frozenset[str]:
    name = "quiet_hours.except"
    if not isinstance(value, list):
        raise RuleViolation(name, _('Give a list of statuses, e.g. ["out_for_delivery"].'), code="invalid")
    unknown = [item for item in value if item not in ALL_CODES]
    if unknown:
        raise RuleViolation(name, _("%(value)s is not a status; use any of %(statuses)s.")
                            % {"value": _quote(unknown[0]), "statuses": ", ".join(ALL_CODES)},
                            code="invalid_status")
    return frozenset(value)


def _channels(value: Any) -> tuple[str, ...]:
    name = "fallback.order"
    if not isinstance(value, list):
        raise RuleViolation(name, _('Give a list of channels, e.g. ["whatsapp", "sms", "email"].'), code="invalid")
    unknown = [item for item in value if item not in Channel.values]
    if unknown:
        raise RuleViolation(name, _("%(value)s is not a channel; use %(channels)s.")
                            % {"value": _quote(unknown[0]), "channels": ", ".join(Channel.values)},
                            code="invalid_channel")
    if len(set(value)) != len(value):
        raise RuleViolation(name, _("Name each channel once."), code="duplicate_channel")
    return tuple(value)


def _ready_to_ship(value: Any) -> str:
    if value not in ReadyToShip.values:
        raise RuleViolation("ready_to_ship", _("%(value)s is not a choice; use one of %(choices)s.")
                            % {"value": _quote(value), "choices": ", ".join(ReadyToShip.values)},
                            code="invalid_choice")
    return value


# --- shape -------------------------------------------------------------------------------------


def _section(raw: Mapping, key: str, clean: Callable[[Mapping, Violations], Any], found: Violations) -> Any:
    default = getattr(DEFAULT_POLICY, key)
    if key not in raw:
        return default
    if not isinstance(raw[key], Mapping):
        with found.check():
            raise RuleViolation(key, _("Give an object; leave it out for the defaults."), code="invalid")
        return default
    return clean(raw[key], found)


def _value(raw: Mapping, key: str, default: Any, found: Violations, clean: Callable[[Any], Any]) -> Any:
    """The cleaned value of `key` (its default when left out, or when bad: the problem is kept)."""
    if key not in raw:
        return default
    with found.check():
        return clean(raw[key])
    return default


def _check_keys(raw: Mapping, known: tuple[str, ...], prefix: str, found: Violations) -> None:
    unknown = [key for key in raw if key not in known]
    for key in unknown[:_MAX_UNKNOWN]:
        with found.check():
            raise RuleViolation(f"{prefix}{_clip(key)}", _("Unknown field; use %(fields)s.")
                                % {"fields": ", ".join(known)}, code="unknown_field")


def _clip(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…"


def _quote(value: Any) -> str:
    return repr(_clip(value))
