"""A lean connection pool for the providers' POSTs, under requests' own adapter.

requests hands every call to a urllib3 pool (`urlopen`). urllib3 is general: retries, redirects,
streaming, proxies, many TLS options, and several layers of wrappers around `http.client`. A
provider call needs none of that: one small POST on a kept-alive connection, the answer (a
few hundred bytes of JSON) read at once. Through urllib3 that cost about 240 us of CPU a call
on our 2-core machine, `http.client` alone about 100 us: at two calls per parcel event, the
largest single cost of sending.

`KeepAlivePool` is what `HTTPAdapter.send` needs of a pool (`urlopen`, the TLS attributes that
`cert_verify` sets, `close`), on `http.client` connections kept per host. `HTTPAdapter.send`
itself is unchanged, so `responses` replays these calls in tests like any other, and failures
come out as the same requests exceptions (ConnectTimeout, ReadTimeout, ConnectionError).
Like requests' default (`max_retries=0`), nothing is retried here: a POST that may have reached
the provider is the caller's to retry.
"""

from __future__ import annotations

import http.client
import os
import select
import ssl
import threading
import zlib

from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)


class LeanResponse:
    """An answer read in full: what the adapter's `build_response` uses of a urllib3 response."""

    def __init__(self, status: int, reason: str, headers, data: bytes):
        self.status, self.reason, self.headers, self.data = status, reason, headers, data


class KeepAlivePool:
    """Kept-alive `http.client` connections to one host (scheme, host, port), shared by threads."""

    def __init__(self, scheme: str, host: str, port: int | None, *, maxsize: int = 50):
        self.scheme, self.host = scheme, host
        self.port = port or (443 if scheme == "https" else 80)
        self.maxsize = maxsize
        # Set by HTTPAdapter.cert_verify before every call (https): how to check the server.
        self.cert_reqs, self.ca_certs, self.ca_cert_dir = "CERT_REQUIRED", None, None
        self.cert_file = self.key_file = None
        self.verified_with: tuple | None = None  # the (verify, cert) cert_verify last applied
        self._contexts: dict[tuple, ssl.SSLContext] = {}
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def urlopen(self, method, url, body=None, headers=None, timeout=None, **_urllib3_options) -> LeanResponse:
        connect_timeout = getattr(timeout, "connect_timeout", timeout)
        read_timeout = getattr(timeout, "read_timeout", timeout)
        connection = self._take(connect_timeout)
        try:
            if connection.sock is None:
                self._connect(connection, url, connect_timeout)
            connection.sock.settimeout(read_timeout)
            connection.request(method, url, body=body, headers=dict(headers or {}))
            answer = connection.getresponse()
            data = _decoded(answer.read(), answer.getheader("Content-Encoding", ""))
        except TimeoutError as exc:
            connection.close()
            raise ReadTimeoutError(self, url, f"Read timed out. (read timeout={read_timeout})") from exc
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise ProtocolError("Connection aborted.", exc) from exc
        if answer.will_close:
            connection.close()
        else:
            self._give_back(connection)
        return LeanResponse(answer.status, answer.reason, answer.headers, data)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take(self, connect_timeout) -> http.client.HTTPConnection:
        with self._lock:
            if self._pid != os.getpid():  # forked (a prefork worker child): the parent's sockets are not ours
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                connection = self._idle.pop()
                if not _dropped(connection):
                    return connection
                connection.close()
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=connect_timeout, context=self._context())
        return http.client.HTTPConnection(self.host, self.port, timeout=connect_timeout)

    def _connect(self, connection, url, connect_timeout) -> None:
        connection.timeout = connect_timeout
        try:
            connection.connect()
        except TimeoutError as exc:
            connection.close()
            reason = ConnectTimeoutError(connection, f"Connection to {self.host} timed out. (connect timeout={connect_timeout})")
            raise MaxRetryError(self, url, reason) from exc
        except ssl.SSLError as exc:  # a certificate that does not verify, a failed handshake
            connection.close()
            raise MaxRetryError(self, url, SSLError(exc)) from exc
        except OSError as exc:
            connection.close()
            raise MaxRetryError(self, url, NewConnectionError(connection, f"Failed to establish a new connection: {exc}")) from exc

    def _give_back(self, connection) -> None:
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < self.maxsize:
                self._idle.append(connection)
                return
        connection.close()

    def _context(self) -> ssl.SSLContext:
        key = (self.cert_reqs, self.ca_certs, self.ca_cert_dir)
        if key not in self._contexts:
            context = ssl.create_default_context(cafile=self.ca_certs, capath=self.ca_cert_dir)
            if self.cert_reqs == "CERT_NONE":  # verify=False, asked for explicitly
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            self._contexts[key] = context
        return self._contexts[key]


def _dropped(connection) -> bool:
    """The server closed a kept-alive connection while it was idle (it is readable: EOF)."""
    sock = connection.sock
    if sock is None:
        return False
    try:  # poll, not select: a worker's descriptors can go past select's 1024
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def _decoded(data: bytes, encoding: str) -> bytes:
    """We ask for no compression; a server that compresses anyway is still understood."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        try:
            return zlib.decompress(data)
        except zlib.error:
            return zlib.decompress(data, -zlib.MAX_WBITS)
    return data

