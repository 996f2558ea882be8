"""A provider call that failed in transit, as a ProviderError: transient, and ambiguous unless
the request surely never left.

Neither the Graph API nor Twilio's Messages API takes an idempotency key, so what matters for a
retry is whether the provider may already have the request. It cannot when the connection was
never made (refused, name not resolved, connect timeout); it may when the answer timed out or
the connection broke after the request was written: then the retry waits for the status
webhooks that would show an acceptance (dispatch/evidence.py).
"""

from __future__ import annotations

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from .base import ProviderError

_NEVER_CONNECTED = (NewConnectionError, ConnectTimeoutError, ConnectionRefusedError)


def transport_error(exc: requests.RequestException, provider: str) -> ProviderError:
    """`exc`, raised by the HTTP call to `provider` ("WhatsApp", "Twilio"), as a transient error."""
    ambiguous = not _never_connected(exc)
    if isinstance(exc, requests.Timeout):
        return ProviderError(f"{provider} timed out: {type(exc).__name__}", code="timeout", kind="transient",
                             ambiguous=ambiguous)
    return ProviderError(f"{provider} unreachable: {type(exc).__name__}", code="connection_error", kind="transient",
                         ambiguous=ambiguous)


def _never_connected(exc: BaseException) -> bool:
    """True when the chain of causes shows the connection was never made (requests wraps
    urllib3's MaxRetryError, whose `reason` is the real failure)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        error = pending.pop()
        if not isinstance(error, BaseException) or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, _NEVER_CONNECTED):
            return True
        pending.extend([getattr(error, "reason", None), error.__cause__, error.__context__, *error.args[:1]])
    return False
