"""Where a delivery may go: never to this machine or a private network, unless a setting allows it.

A webhook URL is chosen by a tenant, so without this check it is a way into our own network
(the metadata service at 169.254.169.254, Redis on 127.0.0.1, the database on 10.x). Every address
the host resolves to must be public (`ipaddress.is_global`: not loopback, private, link-local,
shared, reserved or unspecified). WEBHOOKS_ALLOW_PRIVATE_TARGETS=true (tests, development) turns
the check off.

The check runs twice: `check_target` before the call (every address the name has, refused with a
clear message), then at connection time, where `pinned_http()` (core.http.public_http:
requests-hardened, Saleor's SSRF filter for requests) resolves the name once more, refuses a
private address, and connects to exactly the address it checked (TLS still verifies the
certificate against the name: SNI and hostname checks use the URL's host). A name whose DNS
answer changes between the check and the connection (DNS rebinding) is refused, not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings

from core.http import http, public_http


class RefusedTarget(Exception):
    pass


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def pinned_http() -> requests.Session:
    """The session a delivery goes through: core.http's public one (connections only to the
    address just checked as public), or with WEBHOOKS_ALLOW_PRIVATE_TARGETS the shared one."""
    return http() if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS else public_http()


def check_target(url: str) -> None:
    """Raise RefusedTarget unless every address of the URL's host is public (or the setting allows)."""
    if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        return
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RefusedTarget("The URL is not valid.") from None
    if not host:
        raise RefusedTarget("The URL has no host.")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise RefusedTarget(f"The host {host} does not resolve ({exc}).") from None
    refused = sorted({address for address in addresses if not _public(address)})
    if refused or not addresses:
        raise RefusedTarget(f"Refused: {host} resolves to a private or loopback address ({', '.join(refused)}).")


def literal_private_host(url: str) -> str | None:
    """The host, when it is obviously not public without resolving it (an IP literal, localhost):
    refused as soon as an endpoint is created, with the setting off."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return host
    try:
        return None if _public(host) else host
    except ValueError:
        return None  # a name: checked at every send
