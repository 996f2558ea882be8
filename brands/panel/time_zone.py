"""The merchant panel's clock: the account's time zone (`Account.time_zone`), for panel pages only.

`PanelTimeZoneMiddleware` runs after `PanelLanguageMiddleware`, which has already loaded the
member's account with their membership (brands.scoping.account_for_request keeps it on the
request): activating the zone costs no query. Only /app/ and /accounts/ are touched: the API
answers in UTC (ISO 8601) and the shopper pages use the shopper's zone (tracking.presentation).
Stored values stay UTC; Django converts them when a template shows them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from brands.panel.language import PANEL_PREFIXES
from brands.scoping import account_for_request


def account_zone(account) -> ZoneInfo | None:
    try:
        return ZoneInfo(account.time_zone) if account is not None and account.time_zone else None
    except (ZoneInfoNotFoundError, ValueError):  # a zone a newer tz database had and this one lacks
        return None


class PanelTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PANEL_PREFIXES) or not request.user.is_authenticated:
            return self.get_response(request)
        zone = account_zone(account_for_request(request))
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            # Back to UTC for whatever this thread serves next (an API call, a shopper page).
            timezone.deactivate()
