"""The outbound HTTP sessions: every call to a provider or carrier goes through `http()`; a call to
a URL a tenant chose (an outbound webhook) through `public_http()`, public addresses only.

requests' own `Session` on urllib3's connection pools (keep-alive per host, TLS, proxies from the
environment, errors as requests exceptions): one per process, made again in a child after a fork
(a prefork worker must not share its parent's sockets). A default timeout is applied to every
request so that no call can hang a worker. Nothing is retried here (`max_retries=0`, requests'
default): a POST that may have reached the provider is the caller's to retry.

`post_body` is the sending path (thousands of calls a second). A provider's URL and headers do
not change from one call to the next: they are prepared once (`_prepared`, with what the
environment adds: proxies, CA bundle), as `Session.request` would every time. Each call then
goes straight to the urllib3 connection pool requests' adapter keeps for that host, the very pool
`Session.send` would use (same TLS settings and kept-alive connections), and reads the answer at
once. Measured (thread CPU a call, median, against the bench's fake provider on loopback): one
call at a time, about 220 us through requests' whole path against 150 us this way; on the
dispatch path (10,000 calls from planning tasks, 16 in flight per process, in-process) about
390 against 280 us. What requests adds per call is general machinery the sending path does not
need: hooks, redirects, the cookie jar (a provider's cookie must not ride along anyway), a
streaming body read in chunks.

The call takes requests' whole path (`Session.send`) instead when a proxy applies to the URL, and
when requests' send has been wrapped (`Session.send` or `HTTPAdapter.send` is not the library's
own): test doubles such as `responses` and instrumentations hook in there and must see every
call. Either way the caller gets a `requests.Response` and requests' exceptions.
"""

import os
import threading
from collections.abc import Mapping
from functools import lru_cache
from http.cookiejar import DefaultCookiePolicy
from typing import NamedTuple

import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import select_proxy
from requests_hardened import Config, HTTPSession
from urllib3 import exceptions as urllib3_errors

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


def build_public_session() -> requests.Session:
    """A session for URLs a tenant chose (outbound webhooks): it connects only to a public address,
    the very one it checked when connecting (requests-hardened, Saleor's SSRF filter for requests:
    the name is resolved, a private or loopback answer refused with `InvalidIPAddress`, a
    RequestException, and the connection pinned to that address; TLS still checks the certificate
    and SNI against the name). A name whose DNS answer changes after an earlier check (DNS
    rebinding) cannot lead it into our own network. No redirect is followed."""
    session = HTTPSession(Config(ip_filter_enable=True, ip_filter_allow_loopback_ips=False, never_redirect=True,
                                 default_timeout=DEFAULT_TIMEOUT, user_agent_override=USER_AGENT))
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return session


_session: requests.Session | None = None
_public: requests.Session | None = None
_lock = threading.Lock()


def http() -> requests.Session:
    """The process-wide session (connection pooling across calls and threads)."""
    global _session
    session = _session
    if session is None:
        with _lock:
            if _session is None:
                _pools.clear()  # pools of an earlier session are not this one's
                _session = build_session()
            session = _session
    return session


def public_http() -> requests.Session:
    """The process-wide session of `build_public_session` (a webhook delivery now and then: the
    lock every call is no cost worth avoiding, unlike on the sending path's `http()`)."""
    global _public
    with _lock:
        if _public is None:
            _public = build_public_session()
        return _public


def _forget_parents_session() -> None:
    # The child gets sessions of its own on first use; the parent's connections stay the parent's.
    global _session, _public, _lock
    _session, _public, _lock = None, None, threading.Lock()
    _pools.clear()


os.register_at_fork(after_in_child=_forget_parents_session)


# requests' own send methods: when either is replaced (a test double, an instrumentation), every
# call goes through them.
_SESSION_SEND, _ADAPTER_SEND = requests.Session.send, HTTPAdapter.send


class _Route(NamedTuple):
    """A provider's POST, prepared once per URL and headers."""

    template: requests.PreparedRequest  # without its body
    environment: dict  # what the environment adds (proxies, CA bundle), as `Session.request` works it out
    headers: dict  # the template's headers as a plain dict
    proxied: bool  # a proxy applies to the URL


@lru_cache(maxsize=64)
def _prepared(url: str, headers: tuple, content_type: str) -> _Route:
    """A process's environment does not change: worked out once per URL and headers."""
    session = http()
    request = requests.Request(
        "POST", url, headers={**session.headers, **dict(headers), "Content-Type": content_type}).prepare()
    environment = session.merge_environment_settings(request.url, {}, None, None, None)
    return _Route(request, environment, dict(request.headers), bool(select_proxy(request.url, environment["proxies"])))


def post_body(url: str, *, body: bytes | str, content_type: str, headers: Mapping[str, str],
              timeout=DEFAULT_TIMEOUT) -> requests.Response:
    """POST an encoded body (JSON, form) through the shared session's pools. Raises what `requests`
    raises (Timeout, ConnectionError, InvalidURL...: all `RequestException`); no redirects are
    followed. A str body must be ASCII (a urlencoded form), as `requests` itself would send it."""
    route = _prepared(url, tuple(headers.items()), content_type)
    if route.proxied or requests.Session.send is not _SESSION_SEND or HTTPAdapter.send is not _ADAPTER_SEND:
        request = route.template.copy()
        request.prepare_body(body, None)
        return http().send(request, timeout=timeout, allow_redirects=False, **route.environment)
    return _post_on_pool(route, body.encode("ascii") if isinstance(body, str) else body, timeout)


_pools: dict[str, urllib3.HTTPConnectionPool] = {}  # URL -> requests' pool for it, TLS settings applied
_DEFAULT_TIMEOUT = urllib3.Timeout(connect=DEFAULT_TIMEOUT[0], read=DEFAULT_TIMEOUT[1])


def _pool(template: requests.PreparedRequest, environment: dict) -> urllib3.HTTPConnectionPool:
    """The pool requests' adapter keeps for the URL's host, with the TLS settings `HTTPAdapter.send`
    applies, looked up once per URL and session (the lookup stats the CA bundle's path). When the
    pool manager drops it for another host (it keeps POOL_HOSTS), it keeps serving this URL: urllib3
    closes no pool it evicts."""
    pool = _pools.get(template.url)
    if pool is None:
        adapter = http().get_adapter(template.url)
        verify, cert = environment["verify"], environment["cert"]
        try:
            pool = adapter.get_connection_with_tls_context(template, verify, cert=cert)
        except urllib3_errors.LocationValueError as exc:
            raise requests.exceptions.InvalidURL(exc, request=template) from exc
        adapter.cert_verify(pool, template.url, verify, cert)
        _pools[template.url] = pool
    return pool


def _post_on_pool(route: _Route, body: bytes, timeout) -> requests.Response:
    """The POST on the urllib3 pool requests' adapter holds for the host, as `HTTPAdapter.send`
    would make it (its TLS settings, its errors as requests exceptions), the answer read whole."""
    template = route.template
    pool = _pool(template, route.environment)
    headers = {**route.headers, "Content-Length": str(len(body))}
    try:
        answer = pool.urlopen("POST", template.path_url, body=body, headers=headers, redirect=False,
                              assert_same_host=False, retries=False, preload_content=True, decode_content=True,
                              timeout=_DEFAULT_TIMEOUT if timeout == DEFAULT_TIMEOUT else _timeout(timeout))
    except urllib3_errors.NewConnectionError as exc:  # before ConnectTimeoutError: it is one
        raise requests.ConnectionError(exc, request=template) from exc
    except urllib3_errors.ConnectTimeoutError as exc:
        raise requests.ConnectTimeout(exc, request=template) from exc
    except urllib3_errors.ReadTimeoutError as exc:
        raise requests.ReadTimeout(exc, request=template) from exc
    except urllib3_errors.SSLError as exc:
        raise requests.exceptions.SSLError(exc, request=template) from exc
    except (urllib3_errors.HTTPError, OSError) as exc:  # ProtocolError (connection broken), a closed pool...
        raise requests.ConnectionError(exc, request=template) from exc
    response = requests.Response()
    response.status_code, response.reason = answer.status, answer.reason
    response.headers = CaseInsensitiveDict(answer.headers)
    response._content = answer.data
    response.url, response.request = template.url, template
    return response


def _timeout(timeout) -> urllib3.Timeout:
    """urllib3's timeout from requests' forms of one: a (connect, read) pair, or one number for both."""
    connect, read = timeout if isinstance(timeout, tuple | list) else (timeout, timeout)
    return urllib3.Timeout(connect=connect, read=read)
