"""Carrier code -> adapter. Adapters are built lazily, once per process, from a config mapping.

The mapping uses the setting names (DHL_API_KEY, UPS_CLIENT_ID...). It comes from
`configure(...)`, from `get_adapter(code, config=...)`, or else from `django.conf.settings`,
read only when an adapter is first built, so importing this module needs no settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import aftership, dhl, ups
from .aftership import AfterShipAdapter
from .base import CarrierAdapter
from .dhl import DhlAdapter
from .manual import ManualAdapter
from .sandbox import SandboxAdapter
from .ups import UpsAdapter


class UnknownCarrier(LookupError):
    """No adapter has this code."""


DEFAULTS: dict[str, Any] = {
    "DHL_API_KEY": "",
    "DHL_API_BASE_URL": dhl.DEFAULT_BASE_URL,
    "UPS_CLIENT_ID": "",
    "UPS_CLIENT_SECRET": "",
    "UPS_API_BASE_URL": ups.DEFAULT_BASE_URL,
    "AFTERSHIP_API_KEY": "",
    "AFTERSHIP_WEBHOOK_SECRET": "",
    "AFTERSHIP_API_BASE_URL": aftership.DEFAULT_BASE_URL,
    "SANDBOX_CARRIER_STEP_SECONDS": 120,
}

_CLASSES: dict[str, type[CarrierAdapter]] = {
    cls.code: cls for cls in (SandboxAdapter, ManualAdapter, DhlAdapter, UpsAdapter, AfterShipAdapter)
}
CARRIER_CODES: tuple[str, ...] = tuple(_CLASSES)

_Config = Mapping[str, Any]
_BUILDERS: dict[str, Callable[[Callable[[str], Any]], CarrierAdapter]] = {
    "sandbox": lambda get: SandboxAdapter(step_seconds=int(get("SANDBOX_CARRIER_STEP_SECONDS"))),
    "manual": lambda get: ManualAdapter(),
    "dhl": lambda get: DhlAdapter(api_key=get("DHL_API_KEY"), base_url=get("DHL_API_BASE_URL")),
    "ups": lambda get: UpsAdapter(
        client_id=get("UPS_CLIENT_ID"), client_secret=get("UPS_CLIENT_SECRET"), base_url=get("UPS_API_BASE_URL"),
    ),
    "aftership": lambda get: AfterShipAdapter(
        api_key=get("AFTERSHIP_API_KEY"),
        webhook_secret=get("AFTERSHIP_WEBHOOK_SECRET"),
        base_url=get("AFTERSHIP_API_BASE_URL"),
    ),
}

_config: dict[str, Any] | None = None
_cache: dict[str, CarrierAdapter] = {}


def configure(config: _Config) -> None:
    """Use this mapping instead of Django settings from now on (adapters are rebuilt)."""
    global _config
    _config = dict(config)
    _cache.clear()


def reset() -> None:
    """Forget configuration and built adapters (tests, or after settings changed)."""
    global _config
    _config = None
    _cache.clear()


def adapter_class(code: str) -> type[CarrierAdapter]:
    """The class, for `polled`/`pushes`/`name` without building (or configuring) anything."""
    try:
        return _CLASSES[code]
    except KeyError:
        raise UnknownCarrier(f"unknown carrier {code!r}") from None


def get_adapter(code: str, config: _Config | None = None) -> CarrierAdapter:
    adapter_class(code)  # unknown codes fail before any settings are read
    if config is not None:
        return _build(code, config)  # caller-owned: not cached
    if code not in _cache:
        _cache[code] = _build(code, _config if _config is not None else _settings_config())
    return _cache[code]


def carrier_choices() -> list[tuple[str, str]]:
    return [(code, cls.name) for code, cls in _CLASSES.items()]


def _build(code: str, config: _Config) -> CarrierAdapter:
    def get(name: str) -> Any:
        value = config.get(name)
        return DEFAULTS[name] if value is None or value == "" else value

    return _BUILDERS[code](get)


def _settings_config() -> dict[str, Any]:
    from django.conf import settings  # only here: importing the registry must not need settings

    return {name: getattr(settings, name, default) for name, default in DEFAULTS.items()}
