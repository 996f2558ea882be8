"""Forms of the shipment pages: input shape only; tracking.services validates and writes."""

import secrets
from decimal import Decimal

from django import forms
from django_countries import countries

from brands.models import Language
from tracking.carriers import carrier_choices
from tracking.statuses import Status


def sandbox_number() -> str:
    return "SBX" + secrets.token_hex(5).upper()


class ShipmentFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False,
                        widget=forms.SearchInput(attrs={"placeholder": "Tracking no., order no. or recipient"}))
    brand = forms.TypedChoiceField(label="Brand", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status", required=False,
        choices=[("", "All statuses"), ("none", "Awaiting first scan"), *Status.choices],
    )
    carrier = forms.ChoiceField(label="Carrier", required=False)

    def __init__(self, *args, brands=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["brand"].choices = [("", "All brands"), *((b.pk, b.name) for b in brands)]
        self.fields["carrier"].choices = [("", "All carriers"), *carrier_choices()]


class ShipmentForm(forms.Form):
    brand = forms.TypedChoiceField(label="Brand", coerce=int)
    carrier = forms.ChoiceField(
        label="Carrier", initial="sandbox",
        help_text="The sandbox carrier moves the parcel through a realistic journey, without any network.",
    )
    tracking_number = forms.CharField(label="Tracking number", max_length=64)
    carrier_name = forms.CharField(
        label="Carrier name for shoppers", max_length=64, required=False,
        help_text="Optional, e.g. PostNL for a manual shipment. Messages and the tracking page show it.",
    )
    order_number = forms.CharField(label="Order number", max_length=64, required=False)
    recipient_name = forms.CharField(label="Recipient name", max_length=200, required=False)
    recipient_email = forms.EmailField(label="Recipient e-mail", required=False)
    recipient_phone = forms.CharField(
        label="Recipient mobile", max_length=16, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+31612345678"}),
        help_text="International format. Needed for WhatsApp and SMS.",
    )
    language = forms.ChoiceField(label="Shopper's language", choices=Language.choices, initial=Language.EN)
    to_country = forms.ChoiceField(label="Destination country", initial="NL")
    to_postal_code = forms.CharField(label="Postal code", max_length=16, required=False)
    expected_delivery = forms.DateField(
        label="Expected delivery", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cash_on_delivery_amount = forms.DecimalField(
        label="Cash on delivery", required=False, max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
        help_text="Optional: the amount paid at the door. The shopper is asked to confirm it.",
    )
    cash_on_delivery_currency = forms.RegexField(
        label="Currency", regex=r"^[A-Z]{3}$", initial="EUR", required=False, max_length=3,
        error_messages={"invalid": "Give an ISO 4217 code in capitals, e.g. EUR."},
    )

    def __init__(self, *args, brands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [(b.pk, b.name) for b in brands]
        self.fields["carrier"].choices = carrier_choices()
        self.fields["to_country"].choices = list(countries)
        self.fields["tracking_number"].initial = sandbox_number()


class EventForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=Status.choices)
    location = forms.CharField(label="Location", max_length=200, required=False)
    description = forms.CharField(label="Carrier text", max_length=500, required=False)
