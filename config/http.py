"""The one outbound HTTP session: every call to a provider or carrier goes through it.

A default timeout is applied to every request so that no call can hang a worker.
"""

import requests
from requests.adapters import HTTPAdapter

DEFAULT_TIMEOUT = (3.05, 10)  # (connect, read) seconds
USER_AGENT = "Parcelcast/1.0 (+https://parcelcast.example)"


class _TimeoutAdapter(HTTPAdapter):
    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = DEFAULT_TIMEOUT
        return super().send(request, **kwargs)


def build_session() -> requests.Session:
    session = requests.Session()
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
