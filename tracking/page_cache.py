"""The shopper's tracking page, rendered once per version of what it shows and shared through the
cache (settings.CACHES, Redis in production), answered 304 when the browser has it.

A WISMO spike ("where is my order?") is many shoppers loading the same pages again and again
while nothing changes. A request therefore asks PostgreSQL one question, the page's version, and
takes the rendered page of that version from the cache; only a new version is rendered (its
events read, the template filled), once, for every worker.

The version is a digest, computed by PostgreSQL, of the rows the page is made of: the shipment's
row (without the poller's bookkeeping, which the page does not show: polling must not throw the
page away every few minutes), its brand's row (name, colour, logo, contacts: an edit in the panel
shows at once) and its events' count and newest id (events are only added; the one in-place
write, a late delivery photo, also goes to the shipment's row, which is what the page shows).
- Not `updated_at`: a shipment has none, and shipments and brands are written by bulk UPDATEs
  (tracking/bulk.py, queryset updates) that auto_now never sees. A digest of the values cannot
  miss a write, whatever path made it, and a new column is in it without anyone adding it.
- Not delete-on-signal: bulk writes send no signals. With the version in the key nothing needs
  deleting: a change makes a new key and the old entry expires (TRACKING_PAGE_CACHE_SECONDS).
- Computed in SQL, one statement with a constant text: the ORM spent several times the whole
  request's budget compiling the same query with its join and subqueries on every request
  (bench/tracking_page.py). On another database (SQLite, `make run`) the page is rendered on every
  request, with the same ETag and 304s.
- Because a key names one version, whose page never changes, each worker also keeps the pages it
  served in its own memory (a small LocMemCache): a hot page costs no trip to Redis, and no
  worker can serve a page that is out of date.

Each worker also trusts a page it served for one second (TRACKING_PAGE_FRESH_SECONDS) without
asking for its version: at the height of a spike most requests of a hot page then cost no I/O.

The ETag is a digest of the rendered bytes, kept with them: a deploy that changes the template or
the copy changes it once the old entry has expired, and a browser's copy is never confirmed
against a page we would no longer send. No Last-Modified: without a change time for the shipment
there is no honest one, and browsers revalidate with If-None-Match when they have an ETag.

Nothing in the shared page belongs to the requester: it is rendered without the request (no
context processors: no CSRF token, user, session or messages), the page has no form, and its
language is the shipment's own (never the browser's Accept-Language): the URL alone decides the
page, so no `Vary`. If the page ever takes the language from the browser, the language must join
the key and the response must say `Vary: Accept-Language`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection

from brands.models import Brand
from tracking import selectors
from tracking.models import Shipment, TrackingEvent

# Written by the poller and the stuck-parcel watch, never shown on the page.
BOOKKEEPING = ["next_poll_at", "poll_failures", "last_polled_at", "last_scan_at", "stall_check_at"]

_VERSION_SQL = (
    f"SELECT s.id, md5(jsonb_build_array(to_jsonb(s) - %s::text[], to_jsonb(b), "
    f"(SELECT jsonb_build_array(count(*), max(e.id)) FROM {TrackingEvent._meta.db_table} e"
    f" WHERE e.{TrackingEvent._meta.get_field('shipment').column} = s.id))::text) "
    f"FROM {Shipment._meta.db_table} s JOIN {Brand._meta.db_table} b"
    f" ON b.id = s.{Shipment._meta.get_field('brand').column} "
    f"WHERE s.{Shipment._meta.get_field('tracking_token').column} = %s"
    # A deleted brand's pages are gone at once, whatever a cache still holds (brand_delete).
    f" AND b.{Brand._meta.get_field('deleted_at').column} IS NULL"
)
_BOOKKEEPING_COLUMNS = [Shipment._meta.get_field(name).column for name in BOOKKEEPING]

# This process's copy of the pages it served (a version's page never changes, see above).
_local = LocMemCache("tracking-pages", {"OPTIONS": {"MAX_ENTRIES": 500}})
# The same pages by token, trusted without asking for the version for TRACKING_PAGE_FRESH_SECONDS
# (1 s): in a spike a hot page costs no query at all (and no connection health check), and a
# change shows at most that long after it was written, which nobody reloading a page can tell.
_fresh = LocMemCache("tracking-pages-fresh", {"OPTIONS": {"MAX_ENTRIES": 500}})


@dataclass(frozen=True)
class Page:
    html: str
    etag: str  # quoted, as sent in the ETag header


def page_version(token: str) -> tuple[int, str] | None:
    """(shipment id, version of its page) for the shipment with this token, None without one."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [_BOOKKEEPING_COLUMNS, token])
        return cursor.fetchone()


def tracking_page(token: str, render: Callable[[Shipment], str]) -> Page | None:
    """The page of the shipment with this token (None: there is none): from this worker's memory
    when it served it less than TRACKING_PAGE_FRESH_SECONDS ago (no query at all), else from the
    cache when this version was rendered before, else `render(shipment)`, kept for the next."""
    if connection.vendor != "postgresql":
        shipment = selectors.shipment_for_token(token=token)
        return None if shipment is None else _page(render(shipment))
    fresh = settings.TRACKING_PAGE_FRESH_SECONDS
    if fresh and (served := _fresh.get(token)) is not None:
        return Page(*served)
    page = _versioned_page(token, render)
    if fresh and page is not None:
        _fresh.set(token, (page.html, page.etag), timeout=fresh)
    return page


def _versioned_page(token: str, render: Callable[[Shipment], str]) -> Page | None:
    found = page_version(token)
    if found is None:
        return None
    key = f"trackpage:{found[0]}:{found[1]}"  # by id and version: the token stays out of the cache
    timeout = settings.TRACKING_PAGE_CACHE_SECONDS
    if (cached := _local.get(key)) is not None:
        return Page(*cached)
    if (cached := cache.get(key)) is not None:
        _local.set(key, cached, timeout=timeout)
        return Page(*cached)
    shipment = selectors.shipment_for_token(token=token)
    if shipment is None:  # deleted meanwhile
        return None
    page = _page(render(shipment))
    # Kept only when nothing changed while it was read and rendered: then it is this version's.
    if page_version(token) == found:
        cache.set(key, (page.html, page.etag), timeout=timeout)
        _local.set(key, (page.html, page.etag), timeout=timeout)
    return page


def _page(html: str) -> Page:
    return Page(html, '"' + hashlib.blake2b(html.encode(), digest_size=16).hexdigest() + '"')
