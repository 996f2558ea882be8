"""Carrier adapters: one small interface (base.py), one file per carrier, a registry by code."""

from .base import (
    CarrierAdapter,
    CarrierError,
    CarrierEvent,
    FetchResult,
    TrackingQuery,
    WebhookRejected,
)
from .registry import CARRIER_CODES, UnknownCarrier, carrier_choices, configure, get_adapter

__all__ = (
    "CARRIER_CODES",
    "CarrierAdapter",
    "CarrierError",
    "CarrierEvent",
    "FetchResult",
    "TrackingQuery",
    "UnknownCarrier",
    "WebhookRejected",
    "carrier_choices",
    "configure",
    "get_adapter",
)
