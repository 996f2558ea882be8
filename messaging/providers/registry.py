"""Channel -> provider: the real adapter when its credentials are configured, else the sandbox.

The config mapping uses the setting names. Without `config`, `django.conf.settings` is read
inside `get_provider`, so importing this module needs no settings and a changed setting (tests)
is seen at once. Providers are cheap (the HTTP session is shared), so nothing is cached.

Credentials set only in part (a token without its number id...) raise ImproperlyConfigured
naming what is missing: silently falling back to the sandbox would "send" nothing for real.
The same rule is a system check (messaging/checks.py), so start-up (`manage.py check`, `migrate`)
fails on it before any send; the sender still isolates a channel whose provider raises here
(its messages fail with `provider_not_configured`, the other channels go on).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from messaging.channels import channel_of

from . import twilio_sms, whatsapp
from .base import CHANNELS, Provider

# E-mail backends that deliver nothing: with them the sandbox provider records the message instead.
SANDBOX_EMAIL_BACKENDS = frozenset({
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
})

DEFAULTS: dict[str, Any] = {
    "WHATSAPP_ACCESS_TOKEN": "",
    "WHATSAPP_PHONE_NUMBER_ID": "",
    "WHATSAPP_API_BASE_URL": whatsapp.DEFAULT_BASE_URL,
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "TWILIO_FROM_NUMBER": "",
    "TWILIO_API_BASE_URL": twilio_sms.DEFAULT_BASE_URL,
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",  # absent: deliver nothing
    "DEFAULT_FROM_EMAIL": "Parcelcast <notifications@parcelcast.localhost>",
}


class UnknownChannel(LookupError):
    """No provider serves this channel."""


def get_provider(channel: str, config: Mapping[str, Any] | None = None) -> Provider:
    if channel not in CHANNELS:
        raise UnknownChannel(f"unknown channel {channel!r}")
    source = _settings_config() if config is None else config

    def get(name: str) -> Any:
        value = source.get(name)
        return DEFAULTS[name] if value is None or value == "" else value

    problem = _half_set(channel, get)
    if problem:
        raise ImproperlyConfigured(problem)
    return channel_of(channel).provider(get)


def half_set_credentials(config: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Channel -> what is wrong with its credentials set only in part (empty: all fine).
    The system check (messaging/checks.py) reports these at start-up."""
    source = _settings_config() if config is None else config
    return {channel: problem for channel in CHANNELS if (problem := _half_set(channel, source.get))}


def _half_set(channel: str, get: Callable[[str], Any]) -> str:
    names = channel_of(channel).credentials
    present = [name for name in names if get(name)]
    if not present or len(present) == len(names):
        return ""
    missing = ", ".join(name for name in names if name not in present)
    return (f"{channel}: {', '.join(present)} set without {missing}. Set {missing} too to send through the real "
            f"provider, or none of {', '.join(names)} to use the sandbox provider.")


def _settings_config() -> dict[str, Any]:
    from django.conf import settings  # only here: importing the registry must not need settings

    return {name: getattr(settings, name, default) for name, default in DEFAULTS.items()}
