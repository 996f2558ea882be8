"""The one outbound HTTP session: every call to a provider or carrier goes through it.

requests' own `Session` on urllib3's connection pools (keep-alive per host, TLS, proxies from the
environment, errors as requests exceptions): one per process, made again in a child after a fork
(a prefork worker must not share its parent's sockets). A default timeout is applied to every
request so that no call can hang a worker. Nothing is retried here (`max_retries=0`, requests'
default): a POST that may have reached the provider is the caller's to retry.

`post_body`, the sending path (thousands of calls a second), uses requests' documented prepared-
request flow (a `PreparedRequest` given to `Session.send`). `Session.request` costs about twice as
much CPU per call: it reads the whole process environment again (proxy variables, NO_PROXY, the
CA bundle), looks for a ~/.netrc, merges the session's headers, cookies and hooks, and prepares
the URL and every header anew. A provider's URL and headers do not change from one call to the
next: they are prepared once (`_prepared`) and each call copies that request and sets its body.
"""

import os
import threading
from collections.abc import Mapping
from functools import lru_cache
from http.cookiejar import DefaultCookiePolicy

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

DEFAULT_TIMEOUT = (3.05, 10)  # (connect, read) seconds
USER_AGENT = "Parcelcast/1.0 (+https://parcelcast.example)"
# Hosts with a pool of their own: the two providers and a few carriers.
POOL_HOSTS = 16
# Kept-alive connections per host: at least the provider calls one sending task has in flight.
MIN_POOL_SIZE = 50


class _TimeoutAdapter(HTTPAdapter):
    """requests' adapter with a default timeout for calls that do not give one."""

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = DEFAULT_TIMEOUT
        return super().send(request, **kwargs)


def build_session() -> requests.Session:
    session = requests.Session()
    maxsize = max(MIN_POOL_SIZE, int(getattr(settings, "MESSAGE_SEND_CONCURRENCY", 0) or 0))
    adapter = _TimeoutAdapter(pool_connections=POOL_HOSTS, pool_maxsize=maxsize)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    # Calls carry their credentials in headers; a cookie one provider sets must not ride along
    # on the next call (another tenant's, or another host's).
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return session


_session: requests.Session | None = None
_lock = threading.Lock()


def http() -> requests.Session:
    """The process-wide session (connection pooling across calls and threads)."""
    global _session
    session = _session
    if session is None:
        with _lock:
            if _session is None:
                _session = build_session()
            session = _session
    return session


def _forget_parents_session() -> None:
    # The child gets a session of its own on first use; the parent's connections stay the parent's.
    global _session, _lock
    _session, _lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_parents_session)


@lru_cache(maxsize=64)
def _prepared(url: str, headers: tuple, content_type: str) -> tuple[requests.PreparedRequest, dict]:
    """A provider's POST without its body, and what the environment adds to it (proxies, CA
    bundle) as `Session.request` would work it out; a process's environment does not change."""
    session = http()
    request = requests.Request(
        "POST", url, headers={**session.headers, **dict(headers), "Content-Type": content_type}).prepare()
    return request, session.merge_environment_settings(request.url, {}, None, None, None)


def post_body(url: str, *, body: bytes | str, content_type: str, headers: Mapping[str, str],
              timeout=DEFAULT_TIMEOUT) -> requests.Response:
    """POST an encoded body (JSON, form) through the shared session. Raises what `requests`
    raises (Timeout, ConnectionError, InvalidURL...: all `RequestException`); no redirects are
    followed. A str body must be ASCII (a urlencoded form), as `requests` itself would send it."""
    template, environment = _prepared(url, tuple(headers.items()), content_type)
    request = template.copy()
    request.prepare_body(body, None)
    return http().send(request, timeout=timeout, allow_redirects=False, **environment)
