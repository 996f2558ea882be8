"""The `manual` carrier: never polled; its events arrive only through the REST API."""

from __future__ import annotations

from datetime import datetime

from tracking.statuses import ALL_CODES

from .base import CarrierAdapter, FetchResult, TrackingQuery


class ManualAdapter(CarrierAdapter):
    code = "manual"
    name = "Manual (events via API)"
    polled = False
    pushes = False

    def fetch(self, queries: list[TrackingQuery], *, now: datetime) -> list[FetchResult]:
        # Nothing to ask anyone: an empty, error-free answer keeps callers simple.
        return [FetchResult(tracking_number=q.tracking_number) for q in queries]

    @staticmethod
    def map_status(raw_code: str, raw_text: str) -> str | None:
        # Integrations already speak our taxonomy.
        return raw_code if raw_code in ALL_CODES else None
