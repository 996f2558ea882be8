"""The shopper's tracking page, rendered once per version of what it shows and kept a short while
in the shared cache (settings.CACHES, Redis in production), answered 304 when the browser has it.

A WISMO spike ("where is my order?") is many shoppers loading the same few pages again and
again while nothing changes. So a request reads the shipment once (one query: the shipment, its
brand, its events' count and newest id, `selectors.shipment_for_page`) and from that row alone
knows the page's version; the rendering (the events, the copy, the template) is done once per
version and shared by every worker for TRACKING_PAGE_CACHE_SECONDS.

The version is a digest of the values the page is made of, not of change times:
- the shipment's row (without the poller's bookkeeping, which the page does not show: polling
  must not throw the page away every few minutes), its brand's row (name, colour, logo,
  contacts: an edit in the panel shows at once) and its events' count and newest id (events are
  only ever added; the one in-place write, a late delivery photo, is also written to the
  shipment's row, which is what the page shows);
- not `updated_at`: a shipment has none, and both shipments and brands are written by bulk
  UPDATEs (tracking/bulk.py, queryset updates) that Django's auto_now never sees. A digest of the
  values cannot miss a write, whatever path made it; a new field is in it without anyone
  remembering to add it.
- not delete-on-signal: those bulk writes send no signals, and a forgotten delete would serve a
  stale page until it expired. A version in the key needs no invalidation: a change makes a new
  key, and the old entry just expires.

The ETag is a digest of the rendered bytes, kept with them. A deploy that changes the template
or the copy therefore changes the ETag as soon as the old entry has expired, and a browser's
stored page is never confirmed against a page we would no longer send. A 304 costs the one
query and one cache read. No Last-Modified: without a change time for the shipment there is no
honest one, and browsers revalidate with If-None-Match when they have an ETag.

Nothing in the cached page belongs to the requester: it is rendered without the request (no
context processors: no CSRF token, user, session or messages), the page has no form, and its
language is the shipment's own (never the browser's Accept-Language), so the URL alone decides
the page and no `Vary` is needed. If the page ever takes the language from the browser, the
language must join the cache key and the response must say `Vary: Accept-Language`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

# Written by the poller and the stuck-parcel watch, never shown on the page.
BOOKKEEPING = frozenset({"next_poll_at", "poll_failures", "last_polled_at", "last_scan_at", "stall_check_at"})


@dataclass(frozen=True)
class Page:
    html: str
    etag: str  # quoted, as sent in the ETag header


def _row(obj, *, leave_out: frozenset[str] = frozenset()) -> list:
    return [
        [field.attname, None if (value := getattr(obj, field.attname)) is None else str(value)]
        for field in obj._meta.concrete_fields
        if field.attname not in leave_out
    ]


def page_version(shipment) -> str:
    """A digest of what the page of `shipment` (from selectors.shipment_for_page) is made of."""
    parts = [
        _row(shipment, leave_out=BOOKKEEPING),
        _row(shipment.brand),
        shipment.event_count,
        shipment.last_event_id,
    ]
    return hashlib.blake2b(json.dumps(parts).encode(), digest_size=16).hexdigest()


def _key(shipment, version: str) -> str:
    # By primary key, not by token: the token (the page's only secret) stays out of the cache.
    return f"trackpage:{shipment.pk}:{version}"


def tracking_page(shipment, render: Callable[[object], str]) -> Page:
    """The page of `shipment`: from the cache when this version was rendered before, else
    `render(shipment)` (the HTML) and kept for the next request, from any worker."""
    key = _key(shipment, page_version(shipment))
    cached = cache.get(key)
    if cached is not None:
        return Page(*cached)
    html = render(shipment)
    page = Page(html, '"' + hashlib.blake2b(html.encode(), digest_size=16).hexdigest() + '"')
    cache.set(key, (page.html, page.etag), timeout=settings.TRACKING_PAGE_CACHE_SECONDS)
    return page
