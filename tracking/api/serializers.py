"""Shapes of the tracking API. The rules live in tracking/services.py; the shipment input applies the
per-field ones too, so that one answer names every bad field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brands.models import Language
from brands.selectors import brand_list
from brands.validators import validate_e164
from core.api_fields import object_id
from tracking import clock
from tracking.carriers import CARRIER_CODES
from tracking.event_input import PROOF_OF_DELIVERY_URL_MAX, check_proof_of_delivery_url
from tracking.models import Shipment, TrackingEvent, validate_display_text
from tracking.services import NO_SUCH_BRAND
from tracking.statuses import ALL_CODES, Status

_CARRIER_ERRORS = {"invalid_choice": f'Unknown carrier "{{input}}"; use one of: {", ".join(CARRIER_CODES)}.'}
_STATUS_ERRORS = {"invalid_choice": f'Unknown status "{{input}}"; use one of: {", ".join(ALL_CODES)}.'}


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time that must carry its timezone: a bare local time is ambiguous, and
    guessing it would reorder events (DRF's own field silently assumes UTC)."""

    default_error_messages = {
        "naive": "Give the time with a timezone, e.g. 2026-06-04T08:05:00+02:00 or 2026-06-04T06:05:00Z.",
    }

    def to_internal_value(self, value):
        parsed = value
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
        if isinstance(parsed, datetime) and timezone.is_naive(parsed):
            self.fail("naive")
        return super().to_internal_value(value)


# --- shipments -------------------------------------------------------------------------------


class ShipmentInput(serializers.Serializer):
    """Every field checked here, the services' rules included (the brand is the account's, the phone
    E.164, the country ISO), so that one answer names every bad field. Needs `account` in context."""

    brand = object_id(help_text="One of your brands.")
    carrier = serializers.ChoiceField(choices=CARRIER_CODES, error_messages=_CARRIER_ERRORS)
    tracking_number = serializers.CharField(max_length=64)
    carrier_name = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", validators=[validate_display_text],
        help_text='The carrier as the shopper knows it, e.g. "PostNL" for a manual shipment; messages '
        "(<<carrier>>) and the tracking page show it. Default: the carrier's own name.",
    )
    order_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    recipient_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    recipient_phone = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default="", validators=[validate_e164],
        help_text="E.164, e.g. +31612345678.",
    )
    recipient_email = serializers.EmailField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(
        choices=Language.choices, required=False, help_text="Defaults to the brand's default language."
    )
    to_country = serializers.CharField(min_length=2, max_length=2, help_text="ISO 3166-1 alpha-2, e.g. NL.")
    to_postal_code = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    expected_delivery = serializers.DateField(required=False, allow_null=True, default=None)
    cash_on_delivery_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False, allow_null=True, default=None,
        help_text='Cash on delivery: the amount the shopper pays at the door, e.g. "24.95"; the shopper is asked '
        "to confirm it at ready_to_ship. Omit for a prepaid order.",
    )
    cash_on_delivery_currency = serializers.RegexField(
        r"^[A-Z]{3}$", required=False, default="EUR", help_text="ISO 4217, e.g. EUR.",
        error_messages={"invalid": "Give an ISO 4217 currency code in capitals, e.g. EUR."},
    )

    def validate_brand(self, value: int) -> int:
        if not brand_list(account=self.context["account"]).filter(pk=value).exists():
            raise serializers.ValidationError(NO_SUCH_BRAND)
        return value

    def validate_to_country(self, value: str) -> str:
        if value.strip().upper() not in countries:
            raise serializers.ValidationError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. NL).")
        return value


class ShipmentFilter(serializers.Serializer):
    brand = object_id(required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False, error_messages=_STATUS_ERRORS)
    carrier = serializers.CharField(required=False)
    tracking_number = serializers.CharField(required=False)
    order_number = serializers.CharField(required=False)


class ShipmentOutput(serializers.ModelSerializer):
    to_country = serializers.CharField(source="to_country.code", read_only=True)
    # An address, or "" when the shopper gave none: not always an e-mail address (the model's
    # EmailField would document `format: email`).
    recipient_email = serializers.CharField(read_only=True)
    tracking_url = serializers.CharField(read_only=True)

    class Meta:
        model = Shipment
        fields = (
            "id", "brand", "carrier", "carrier_name", "tracking_number", "order_number", "recipient_name",
            "recipient_phone", "recipient_email", "language", "to_country", "to_postal_code", "expected_delivery",
            "status", "status_at", "proof_of_delivery_url", "tracking_url", "last_polled_at", "created_at",
            "cash_on_delivery_amount", "cash_on_delivery_currency",
        )
        read_only_fields = fields


# --- events ----------------------------------------------------------------------------------


class EventInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, error_messages=_STATUS_ERRORS)
    occurred_at = AwareDateTimeField(
        help_text="When it happened, with its timezone. More than EVENT_MAX_FUTURE_SECONDS (default an hour) "
                  "ahead of our clock is refused with code `in_the_future`.")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    external_id = serializers.CharField(
        max_length=128, required=False, allow_blank=True, default="",
        help_text="Your id of the event; without one, the same event sent twice is still recognised.",
    )
    proof_of_delivery_url = serializers.CharField(
        max_length=PROOF_OF_DELIVERY_URL_MAX, required=False, allow_blank=True, default="", trim_whitespace=True,
        help_text="An https link to the carrier's photo of the delivery. Shown to the shopper (the delivered "
                  "WhatsApp message's header image, the e-mail, the tracking page); never fetched by Parcelcast.",
    )

    def validate_proof_of_delivery_url(self, value: str) -> str:
        try:
            return check_proof_of_delivery_url(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["proof_of_delivery_url"]) from None

    def validate_occurred_at(self, value):
        if clock.in_the_future(value):
            raise serializers.ValidationError(clock.future_message(value), code=clock.IN_THE_FUTURE)
        return value


class BulkEventInput(EventInput):
    carrier = serializers.ChoiceField(choices=CARRIER_CODES, error_messages=_CARRIER_ERRORS)
    tracking_number = serializers.CharField(max_length=64)


class EventOutput(serializers.ModelSerializer):
    class Meta:
        model = TrackingEvent
        fields = ("id", "status", "occurred_at", "location", "description", "external_id", "raw_code", "source",
                  "proof_of_delivery_url", "recorded_at")
        read_only_fields = fields


class RejectedItemOutput(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the item in the list you sent (from 0).")
    field = serializers.CharField()
    code = serializers.CharField(help_text="Stable, e.g. `in_the_future`, `invalid_choice`, `required`.")
    message = serializers.CharField()


class BulkResultOutput(serializers.Serializer):
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    unknown = serializers.ListField(
        child=serializers.CharField(), help_text="Tracking numbers you have no shipment for."
    )
    rejected = RejectedItemOutput(many=True, help_text="Items refused, one entry per bad field; the others were taken.")


# --- a shipment in full ------------------------------------------------------------------------

# A shipment's messages belong to messaging, an app to our right that we may not import. It
# registers how to list them, e.g. in its AppConfig.ready():
#     register_shipment_messages(lambda shipment: MessageOutput(shipment.messages.all(), many=True).data)
# Until then `messages` is an empty list.
_shipment_messages: Callable[[Shipment], list] | None = None


def register_shipment_messages(provider: Callable[[Shipment], list] | None) -> None:
    global _shipment_messages
    _shipment_messages = provider


class ShipmentDetailOutput(ShipmentOutput):
    events = EventOutput(many=True, read_only=True)
    messages = serializers.SerializerMethodField()

    class Meta(ShipmentOutput.Meta):
        fields = (*ShipmentOutput.Meta.fields, "events", "messages")
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_messages(self, shipment: Shipment) -> list:
        return list(_shipment_messages(shipment)) if _shipment_messages is not None else []
