"""The one outbound HTTP session: every call to a provider or carrier goes through it.

A default timeout is applied to every request so that no call can hang a worker.

`post_body` is the sending path's POST. `Session.request` re-reads the environment (proxies,
netrc, CA bundle), merges cookies, hooks and settings on every call: at thousands of messages a
second that costs more CPU than the HTTP exchange itself. A provider call needs none of it per
call (its auth travels as a header), so `post_body` resolves the environment once per URL,
prepares the request directly and hands it to the session's sending adapter: requests' own
`HTTPAdapter.send` (timeouts, errors; the `responses` library replays it there in tests, like
any other call) on lean keep-alive pools (`core/http_pool.py`) instead of urllib3's.
"""

import threading
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers, select_proxy

from core.http_pool import KeepAlivePool, LeanResponse

DEFAULT_TIMEOUT = (3.05, 10)  # (connect, read) seconds
USER_AGENT = "Parcelcast/1.0 (+https://parcelcast.example)"
MAX_CACHED_POOLS = 32


class _TimeoutAdapter(HTTPAdapter):
    """requests' adapter with a default timeout, made cheaper for many calls to a few hosts:

    - the connection pool of a (host, TLS settings, proxy) is looked up once, not re-derived
      from the URL on every call (several urlparse calls and a pool-key build each time);
    - answers are not scanned for cookies: nothing here keeps cookies between calls.
    - `lean`: calls without a proxy or a client certificate go through `KeepAlivePool`
      (the sending path's POSTs: small answers read at once) rather than urllib3.
    `send` itself is requests' own, so `responses` replays every call in tests.
    """

    def __init__(self, *args, lean: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lean = lean
        self._pools: dict[tuple, object] = {}
        self._pools_lock = threading.Lock()

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = DEFAULT_TIMEOUT
        return super().send(request, **kwargs)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        scheme, _, rest = request.url.partition("://")
        key = (scheme.lower(), rest.split("/", 1)[0], verify, cert, tuple(sorted((proxies or {}).items())))
        pool = self._pools.get(key)
        if pool is None:
            if self.lean and not cert and not select_proxy(request.url, proxies):
                host, _, port = key[1].rpartition("@")[2].partition(":")
                pool = KeepAlivePool(key[0], host, int(port) if port else None, maxsize=self._pool_maxsize)
            else:
                pool = super().get_connection_with_tls_context(request, verify, proxies, cert)
            with self._pools_lock:
                if len(self._pools) >= MAX_CACHED_POOLS:  # a handful of provider and carrier hosts in practice
                    self._pools.clear()
                self._pools[key] = pool
        return pool

    def request_url(self, request, proxies):
        if not proxies:  # the path, worked out once per URL (requests parses the URL on every call)
            return _path(request.url)
        return super().request_url(request, proxies)

    def cert_verify(self, conn, url, verify, cert):
        # A lean pool serves one (verify, cert) (its key): check the CA bundle once, not per call.
        if isinstance(conn, KeepAlivePool) and conn.verified_with == (verify, cert):
            return
        super().cert_verify(conn, url, verify, cert)
        if isinstance(conn, KeepAlivePool):
            conn.verified_with = (verify, cert)

    def build_response(self, req, resp):
        response = requests.Response()
        if isinstance(resp, LeanResponse):  # read in full already
            response._content, response._content_consumed = resp.data, True
        response.status_code = getattr(resp, "status", None)
        response.headers = CaseInsensitiveDict(getattr(resp, "headers", {}))
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = resp
        response.reason = resp.reason
        response.url = req.url.decode("utf-8") if isinstance(req.url, bytes) else req.url
        response.request = req
        response.connection = self
        return response

    def close(self):
        with self._pools_lock:
            self._pools.clear()
        super().close()


class _Session(requests.Session):
    """requests' session, plus the sending path's adapter (`post_body`), closed with the rest."""

    def __init__(self):
        super().__init__()
        self.sender = _TimeoutAdapter(pool_connections=20, pool_maxsize=50, lean=True)

    def close(self):
        super().close()
        self.sender.close()


def build_session() -> requests.Session:
    session = _Session()
    adapter = _TimeoutAdapter(pool_connections=20, pool_maxsize=50)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


_session: requests.Session | None = None


def http() -> requests.Session:
    """The process-wide session (connection pooling across calls)."""
    global _session
    if _session is None:
        _session = build_session()
    return _session


@lru_cache(maxsize=256)
def _path(url: str) -> str:
    """`PreparedRequest.path_url` of a URL: path (at least "/") and query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@lru_cache(maxsize=64)
def _target(url: str) -> tuple[str, dict]:
    """The normalised URL and the send options the environment gives it (proxies, CA bundle),
    exactly as `Session.request` would work them out, once per URL and process."""
    prepared = requests.PreparedRequest()
    prepared.prepare_url(url, None)
    options = http().merge_environment_settings(prepared.url, {}, False, None, None)
    return prepared.url, options


def post_body(url: str, *, body: bytes | str, content_type: str, headers: Mapping[str, str],
              timeout=DEFAULT_TIMEOUT) -> requests.Response:
    """POST an encoded body (JSON, form) through the shared session's adapter. Raises what
    `requests` raises (Timeout, ConnectionError...); no redirects are followed. A str body must
    be ASCII (a urlencoded form), as `requests` itself would send it."""
    session = http()
    target, options = _target(url)
    request = requests.PreparedRequest()
    request.method = "POST"
    request.url = target
    # Only the headers a provider call needs: small JSON answers, so no compression; HTTP/1.1
    # keeps the connection alive without asking.
    request.headers = CaseInsensitiveDict({"User-Agent": session.headers["User-Agent"]})
    request.headers.update(headers)
    request.headers["Content-Type"] = content_type
    request.headers["Content-Length"] = str(len(body))
    request.body = body
    return session.sender.send(request, timeout=timeout, **options)
