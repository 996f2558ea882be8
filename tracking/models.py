"""Shipments and their tracking events.

A shipment's `status` is the status of its newest event (`status_at` is that event's time):
an older, equal-time or repeated event never moves it (see services.py). `next_poll_at` is
the polling schedule: null means "not polled" (pushed carriers, manual, terminal, given up).
`last_scan_at` / `stall_check_at` are the stuck-parcel watch (tracking/stalls.py): the newest
carrier event, and when to look whether the parcel has been silent too long (null: not watched).
"""

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField

from brands.models import Brand, Language
from brands.scoping import TenantQuerySet
from brands.validators import validate_display_text, validate_e164
from core.reverse import reverse_token
from tracking.statuses import Status


def new_tracking_token() -> str:
    # 144 random bits: the token is the only key to a public page, so it must not be guessable.
    return secrets.token_urlsafe(18)


def normalise_tracking_number(value: str) -> str:
    """Carriers print numbers with spaces and mixed case ("1z 999 aa1"); we store one form."""
    return "".join((value or "").split()).upper()


class Source(models.TextChoices):
    API = "api", "API"
    POLL = "poll", "Carrier poll"
    WEBHOOK = "webhook", "Carrier webhook"
    # Raised by Parcelcast itself (a parcel with no carrier scan for too long): not a scan.
    PARCELCAST = "parcelcast", "Parcelcast"


class ShipmentQuerySet(TenantQuerySet):
    account_path = "brand__account"


class Shipment(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="shipments")
    # Not a choices field: adding a carrier adapter must not need a migration. Services check it.
    carrier = models.CharField(max_length=32)
    carrier_name = models.CharField(
        max_length=64, blank=True, validators=[validate_display_text],
        help_text="The carrier as the shopper knows it (e.g. PostNL for a manual shipment); "
        "empty: the carrier adapter's name.",
    )
    tracking_number = models.CharField(max_length=64)
    order_number = models.CharField(max_length=64, blank=True)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_phone = models.CharField(max_length=16, blank=True, validators=[validate_e164])
    recipient_email = models.EmailField(blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    to_country = CountryField(help_text="Destination country (drives the notification toggles).")
    to_postal_code = models.CharField(max_length=16, blank=True)
    expected_delivery = models.DateField(null=True, blank=True)

    status = models.CharField(max_length=32, choices=Status.choices, null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True, help_text="Time of the newest event (it set the status).")
    pickup_point = models.CharField(
        max_length=200, blank=True, help_text="Where the parcel waits (from the ready-for-pickup event)."
    )
    tracking_token = models.CharField(max_length=32, unique=True, default=new_tracking_token, editable=False)
    proof_of_delivery_url = models.CharField(
        max_length=1000, blank=True,
        help_text="The carrier's photo of the delivery (https link, from the newest event that gave one).",
    )
    # Cash on delivery: the shopper is asked to confirm the amount at "ready to ship"
    # (messaging.conversations.cod). Empty: not a cash-on-delivery order.
    cash_on_delivery_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Amount the shopper pays at the door; empty: prepaid.",
    )
    cash_on_delivery_currency = models.CharField(
        max_length=3, default="EUR", validators=[RegexValidator(r"^[A-Z]{3}$", "Give an ISO 4217 code, e.g. EUR.")],
        help_text="ISO 4217 code of the cash-on-delivery amount.",
    )

    next_poll_at = models.DateTimeField(null=True, blank=True, help_text="Null: not polled.")
    poll_failures = models.PositiveIntegerField(default=0, help_text="Carrier errors in a row.")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_scan_at = models.DateTimeField(
        null=True, blank=True, help_text="Time of the newest carrier event (Parcelcast's own do not count)."
    )
    stall_check_at = models.DateTimeField(
        null=True, blank=True, help_text="When to look whether the parcel is stuck. Null: not watched."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "carrier", "tracking_number"], name="tracking_shipment_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(cash_on_delivery_amount__isnull=True) | Q(cash_on_delivery_amount__gte=Decimal("0.01")),
                name="tracking_shipment_cod_positive",
            ),
        ]
        indexes = [
            # The poller's pick-up: only scheduled rows are indexed, so its cost follows the
            # number due, not the number stored (most shipments are finished: null).
            models.Index(
                fields=["next_poll_at"], condition=Q(next_poll_at__isnull=False), name="tracking_shipment_due_idx"
            ),
            # The stall watch's pick-up, likewise: only watched parcels are in it.
            models.Index(
                fields=["stall_check_at"], condition=Q(stall_check_at__isnull=False),
                name="tracking_shipment_stall_idx",
            ),
            # Webhooks and bulk ingest match by (carrier, tracking number) across brands.
            models.Index(fields=["carrier", "tracking_number"], name="tracking_shipment_number_idx"),
            models.Index(fields=["brand", "order_number"], name="tracking_shipment_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"

    @property
    def tracking_url(self) -> str:
        return settings.PUBLIC_BASE_URL + reverse_token("tracking:page", self.tracking_token)

    @property
    def delay_is_ours(self) -> bool:
        """The parcel is `delayed` because Parcelcast raised it (tracking/stalls.py: the carrier has
        been silent for far longer than usual), not because a carrier said so: every other source
        moves `last_scan_at` with the status, Parcelcast's own event never does."""
        return (self.status == Status.DELAYED and self.last_scan_at is not None and self.status_at is not None
                and self.status_at > self.last_scan_at)

    @property
    def upcoming_delivery(self) -> dt.date | None:
        """The expected delivery while it is still ahead (today, UTC, included), else None: a date
        gone by is no longer an expectation. A stalled parcel's carrier estimate is often in the
        past; messages and the tracking page then leave it out instead of announcing it as new."""
        expected = self.expected_delivery
        return expected if expected is not None and expected >= timezone.now().date() else None


class TrackingEventQuerySet(TenantQuerySet):
    account_path = "shipment__brand__account"


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=32, choices=Status.choices)
    raw_code = models.CharField(max_length=64, blank=True, help_text="The carrier's own code.")
    description = models.CharField(max_length=500, blank=True, help_text="The carrier's own text.")
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    # The carrier's event id, or a stable hash of the event: a replay is recognised.
    external_id = models.CharField(max_length=128)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.API)
    # An https link to the carrier's photo of the delivery; never fetched by us (event_input.py).
    proof_of_delivery_url = models.CharField(max_length=1000, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TrackingEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "external_id"], name="tracking_event_unique_external_id"),
        ]
        indexes = [models.Index(fields=["shipment", "occurred_at"], name="tracking_event_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


class LaneStat(models.Model):
    """How long a lane (carrier x destination country) usually goes between two carrier scans of
    a parcel, learnt from every account's events (tracking/lanes.py refreshes it). Platform-wide
    on purpose: only aggregates are kept, and no tenant reads them."""

    carrier = models.CharField(max_length=32)
    country = models.CharField(max_length=2)
    gaps = models.PositiveIntegerField(help_text="Gaps between scans measured: the sample.")
    p90_seconds = models.PositiveIntegerField(help_text="90th percentile of those gaps.")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["carrier", "country"], name="tracking_lanestat_unique_lane")]

    def __str__(self) -> str:
        return f"{self.carrier} to {self.country}: p90 {self.p90_seconds}s over {self.gaps} gaps"
class StatusEntryQuerySet(TenantQuerySet):
    account_path = "shipment__brand__account"


class StatusEntry(models.Model):
    """A shipment's entry into a status, written in the transaction of the event that moved it:
    the outbox between tracking and messaging. `planned_at` stays null until messaging has
    planned the entry's messages, in the transaction that inserts them (see
    messaging.dispatch.entry_planning), so a lost planning task leaves the row for the sweeper.

    One row per entry, not per (shipment, status): a parcel can enter a status twice
    (out for delivery -> delivery failed -> out for delivery), each entry its own news."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="status_entries")
    status = models.CharField(max_length=32, choices=Status.choices)
    # The event that moved the shipment: one event enters one status at most once.
    event = models.OneToOneField(TrackingEvent, on_delete=models.CASCADE, related_name="status_entry")
    # 1 for the shipment's first entry into this status, 2 for the second (a second delivery
    # attempt)...: each entry is news once, a replay never adds one.
    occurrence = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    planned_at = models.DateTimeField(null=True, blank=True, help_text="Null: messages not planned yet.")

    objects = StatusEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "status entries"
        indexes = [
            # The sweeper's pick-up: only unplanned rows are indexed (nearly all rows are planned
            # within a second), so its cost follows the rows due, not the rows stored.
            models.Index(
                fields=["created_at"], condition=Q(planned_at__isnull=True), name="tracking_entry_unplanned_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id} entered {self.status}"
