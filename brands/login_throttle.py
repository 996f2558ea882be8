"""Log-in lockout: LOGIN_FAILURE_LIMIT failed log-ins of one username from one address within
LOGIN_FAILURE_WINDOW_SECONDS lock that (username, address) pair for LOGIN_LOCKOUT_SECONDS.

- `LoginLockoutBackend` is the first authentication backend: for a locked pair it raises
  PermissionDenied, which stops Django's `authenticate()` before any password is checked.
  Every log-in form goes through `authenticate()`: the panel's and the admin's alike.
- Failures are counted from Django's `user_login_failed` signal; a successful log-in clears them.
- `LockoutAuthenticationForm` / `LockoutAdminAuthenticationForm` say the account is locked (and
  for how long) instead of the generic "wrong password" message.

Counters live in the cache (Redis in production: shared by every web process).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver

from core.ratelimit import client_ip


def _pair(username: str, request) -> str:
    ident = f"{(username or '').strip().lower()}|{client_ip(request) if request is not None else 'none'}"
    return hashlib.sha256(ident.encode()).hexdigest()[:40]


def _failures_key(pair: str) -> str:
    return f"login:failures:{pair}"


def _lock_key(pair: str) -> str:
    return f"login:locked:{pair}"


def locked_for(username: str, request) -> int:
    """Seconds the (username, address) pair stays locked; 0 when it is not locked."""
    until = cache.get(_lock_key(_pair(username, request)))
    return max(0, int(until - time.time())) if until else 0


def record_failure(username: str, request) -> None:
    pair = _pair(username, request)
    key = _failures_key(pair)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
        failures = 1
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        cache.set(_lock_key(pair), time.time() + settings.LOGIN_LOCKOUT_SECONDS, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        cache.delete(key)


def clear_failures(username: str, request) -> None:
    cache.delete(_failures_key(_pair(username, request)))


class LoginLockoutBackend(ModelBackend):
    """Django's ModelBackend behind the lockout: a locked (username, address) pair is refused
    before its password is checked.

    A wrong password also ends the search (PermissionDenied): the plain ModelBackend listed after
    this one (for sessions made with its path, e.g. at sign-up) would only check the same password
    against the same users again. Django still sends `user_login_failed`, which counts it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and locked_for(username, request):
            raise PermissionDenied("Too many failed log-in attempts.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None and password is not None:
            raise PermissionDenied("Wrong username or password.")
        return user


@receiver(user_login_failed, dispatch_uid="brands.login_throttle.failed")
def _on_failure(sender, credentials, request=None, **kwargs) -> None:
    username = credentials.get("username")
    # A refusal of the gate itself is not another failure: the lock runs its course and ends.
    if username and not locked_for(username, request):
        record_failure(username, request)


@receiver(user_logged_in, dispatch_uid="brands.login_throttle.success")
def _on_success(sender, request, user, **kwargs) -> None:
    if request is not None:
        clear_failures(user.get_username(), request)


class _LockoutMessage:
    def clean(self):
        username = self.cleaned_data.get("username")
        seconds = locked_for(username, self.request) if username else 0
        if seconds:
            minutes = max(1, (seconds + 59) // 60)
            raise ValidationError(
                f"Too many failed log-in attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
                code="locked",
            )
        return super().clean()


class LockoutAuthenticationForm(_LockoutMessage, AuthenticationForm):
    pass


class LockoutAdminAuthenticationForm(_LockoutMessage, AdminAuthenticationForm):
    pass
