"""The `sandbox` carrier: realistic journeys without any network, so the product demos offline.

The journey is chosen from the tracking number alone, so every poll of the same number tells
the same story. A keyword anywhere in the number (case-insensitive; checked in this order)
picks the scenario:

    NOTFOUND  the carrier does not know the number (a `not_found` error, no events)
    RETURN    delivered, then return label created, dropped off, received by the merchant
    PICKUP    left at a parcel shop (ready for pickup), then collected (delivered)
    FAIL      a failed delivery attempt, then redelivered the next round
    DELAY     a delay at the hub, then delivered late
    LOST      scanned out of the hub, then nothing but a "delayed" exception (a stuck parcel)
    STUCK     scanned out of the hub, then silence: the carrier never says a word (Parcelcast's
              stall watch has to notice; never picked by hash)

Without a keyword a stable hash of the number picks one: mostly the happy path (label,
pickup, hub, depot, out for delivery, delivered), sometimes one of the others above.

Step i of a journey happens at `started_at + offset_i * step_seconds` (setting
SANDBOX_CARRIER_STEP_SECONDS, 120 by default); `fetch` returns only the steps whose time has
come. Event ids are stable, so replays are recognised as duplicates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracking.statuses import Status

from .base import CarrierAdapter, CarrierError, CarrierEvent, FetchResult, TrackingQuery, as_utc

# Raw sandbox codes and what they mean; map_status is this table.
_STATUS_OF_CODE: dict[str, str] = {
    "LABEL": Status.READY_TO_SHIP,
    "ACCEPTED": Status.IN_TRANSIT,
    "HUB_IN": Status.IN_TRANSIT,
    "HUB_OUT": Status.IN_TRANSIT,
    "DEPOT_IN": Status.IN_TRANSIT,
    "OFD": Status.OUT_FOR_DELIVERY,
    "ATTEMPT_FAIL": Status.DELIVERY_FAILED,
    "DELAY": Status.DELAYED,
    "EXCEPTION": Status.DELAYED,
    "PUDO_READY": Status.READY_FOR_PICKUP,
    "PUDO_COLLECTED": Status.DELIVERED,
    "DELIVERED": Status.DELIVERED,
    "RET_LABEL": Status.RETURN_LABEL_CREATED,
    "RET_DROP": Status.RETURN_DROPPED_OFF,
    "RET_RECEIVED": Status.RETURN_RECEIVED,
}


@dataclass(frozen=True)
class Step:
    offset: int  # in steps after started_at
    raw_code: str
    text: str
    place: str  # "origin", "hub", "depot", "city" or "shop"


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    eta_offset: int  # when the carrier would promise delivery


@dataclass(frozen=True)
class Geo:
    origin: str
    hub: str
    cities: tuple[str, ...]
    shop: str


_GEO: dict[str, Geo] = {
    "DE": Geo("Bad Hersfeld", "Leipzig", ("Köln", "Berlin", "München", "Hamburg"), "Kiosk am Markt"),
    "FR": Geo("Chilly-Mazarin", "Roissy", ("Lyon", "Marseille", "Lille", "Bordeaux"), "Tabac de la Gare"),
    "NL": Geo("Venlo", "Nieuwegein", ("Amsterdam", "Rotterdam", "Eindhoven", "Groningen"), "Primera"),
    "BE": Geo("Mechelen", "Brussel X", ("Antwerpen", "Gent", "Liège", "Brugge"), "Librairie Club"),
    "ES": Geo("Zaragoza", "Coslada", ("Barcelona", "Valencia", "Sevilla", "Bilbao"), "Estanco Centro"),
    "IT": Geo("Piacenza", "Bologna Interporto", ("Milano", "Roma", "Torino", "Napoli"), "Tabaccheria Centrale"),
    "AT": Geo("Wien Inzersdorf", "Wels", ("Graz", "Linz", "Salzburg", "Innsbruck"), "Trafik am Platz"),
    "GB": Geo("Daventry", "Birmingham", ("London", "Manchester", "Leeds", "Bristol"), "Co-op Local"),
    "US": Geo("Louisville, KY", "Chicago, IL", ("Brooklyn, NY", "Dallas, TX", "Oakland, CA", "Atlanta, GA"),
              "Corner Pharmacy"),
}
_DEFAULT_COUNTRY = "DE"

_HAPPY = (
    Step(0, "LABEL", "Shipment information received: label created by the sender", "origin"),
    Step(1, "ACCEPTED", "Parcel picked up by the courier", "origin"),
    Step(2, "HUB_IN", "Arrived at the sorting hub", "hub"),
    Step(4, "HUB_OUT", "Departed the sorting hub", "hub"),
    Step(6, "DEPOT_IN", "Arrived at the delivery depot", "depot"),
    Step(7, "OFD", "Out for delivery: the parcel is with the delivery courier", "depot"),
    Step(9, "DELIVERED", "Delivered: handed to the recipient", "city"),
)


def _later(steps: tuple[Step, ...], by: int) -> tuple[Step, ...]:
    return tuple(Step(s.offset + by, s.raw_code, s.text, s.place) for s in steps)


SCENARIOS: dict[str, Scenario] = {
    "happy": Scenario("happy", _HAPPY, eta_offset=9),
    "pickup": Scenario("pickup", _HAPPY[:5] + (
        Step(7, "PUDO_READY", "Ready for pickup at the parcel shop", "shop"),
        Step(12, "PUDO_COLLECTED", "Collected by the recipient at the parcel shop", "shop"),
    ), eta_offset=7),
    "fail": Scenario("fail", _HAPPY[:6] + (
        Step(8, "ATTEMPT_FAIL", "Delivery attempt failed: recipient not at home, notice card left", "city"),
        Step(13, "OFD", "Out for delivery (second attempt)", "depot"),
        Step(15, "DELIVERED", "Delivered: handed to the recipient", "city"),
    ), eta_offset=9),
    "delay": Scenario("delay", _HAPPY[:3] + (
        Step(4, "DELAY", "Delayed: the parcel missed its connection at the hub due to high volumes", "hub"),
    ) + _later(_HAPPY[3:], 5), eta_offset=9),
    "return": Scenario("return", _HAPPY + (
        Step(15, "RET_LABEL", "Return label created by the recipient", "city"),
        Step(17, "RET_DROP", "Return handed in at the parcel shop", "shop"),
        Step(22, "RET_RECEIVED", "Return delivered to the sender", "origin"),
    ), eta_offset=9),
    "lost": Scenario("lost", _HAPPY[:4] + (
        Step(12, "EXCEPTION", "Shipment delayed: no scan since departure, an investigation has been opened", "hub"),
    ), eta_offset=9),
    "stuck": Scenario("stuck", _HAPPY[:4], eta_offset=9),
}

# Checked in this order, so "RETURNFAIL" is a return journey.
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("RETURN", "return"), ("PICKUP", "pickup"), ("FAIL", "fail"), ("DELAY", "delay"), ("LOST", "lost"),
    ("STUCK", "stuck"),
)
# Without a keyword: 12 in 20 happy, the rest spread over the other stories.
_BY_HASH = ("happy",) * 12 + ("pickup",) * 3 + ("fail",) * 2 + ("delay", "return", "lost")


def _digest(tracking_number: str) -> int:
    return int.from_bytes(hashlib.sha1(tracking_number.upper().encode("utf-8")).digest()[:8], "big")


def scenario_for(tracking_number: str) -> Scenario:
    upper = tracking_number.upper()
    for keyword, name in KEYWORDS:
        if keyword in upper:
            return SCENARIOS[name]
    return SCENARIOS[_BY_HASH[_digest(tracking_number) % len(_BY_HASH)]]


def _location(place: str, tracking_number: str, country: str) -> str:
    code = country.upper() if country.upper() in _GEO else _DEFAULT_COUNTRY
    geo = _GEO[code]
    city = geo.cities[_digest(tracking_number) % len(geo.cities)]
    names = {
        "origin": f"{geo.origin} distribution centre",
        "hub": f"{geo.hub} sorting hub",
        "depot": f"{city} delivery depot",
        "city": city,
        "shop": f"{geo.shop}, {city}",
    }
    return f"{names[place]}, {code}"


def journey(query: TrackingQuery, *, now: datetime, step_seconds: int) -> FetchResult:
    """The part of the number's journey that has happened by `now` (pure)."""
    scenario = scenario_for(query.tracking_number)
    start = as_utc(query.started_at)
    step = timedelta(seconds=step_seconds)
    events = []
    for index, s in enumerate(scenario.steps):
        occurred_at = start + s.offset * step
        if occurred_at > as_utc(now):
            break  # steps are in time order
        events.append(CarrierEvent(
            tracking_number=query.tracking_number,
            status=_STATUS_OF_CODE[s.raw_code],
            occurred_at=occurred_at,
            raw_code=s.raw_code,
            raw_text=s.text,
            location=_location(s.place, query.tracking_number, query.destination_country),
            external_id=f"sandbox:{query.tracking_number}:{index}",
        ))
    eta: date = (start + scenario.eta_offset * step).date()
    return FetchResult(query.tracking_number, tuple(events), expected_delivery=eta)


class SandboxAdapter(CarrierAdapter):
    code = "sandbox"
    name = "Sandbox (simulated)"
    polled = True
    pushes = False

    def __init__(self, step_seconds: int = 120) -> None:
        if step_seconds <= 0:
            raise ValueError("step_seconds must be positive")
        self.step_seconds = step_seconds

    def fetch(self, queries: list[TrackingQuery], *, now: datetime) -> list[FetchResult]:
        results = []
        for query in queries:
            if "NOTFOUND" in query.tracking_number.upper():
                error = CarrierError("sandbox knows no such tracking number", kind="not_found")
                results.append(FetchResult(query.tracking_number, error=error))
            else:
                results.append(journey(query, now=now, step_seconds=self.step_seconds))
        return results

    @staticmethod
    def map_status(raw_code: str, raw_text: str) -> str | None:
        return _STATUS_OF_CODE.get(raw_code)
