"""Forms of the shipment pages: input shape only; tracking.services validates and writes."""

import secrets
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from brands.models import Language
from brands.validators import validate_display_text, validate_e164
from tracking.carriers import carrier_choices
from tracking.statuses import Status


def sandbox_number() -> str:
    return "SBX" + secrets.token_hex(5).upper()


class ShipmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.SearchInput(attrs={"placeholder": _("Tracking no., order no. or recipient")}))
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All statuses")), ("none", _("Awaiting first scan")), *Status.choices],
    )
    carrier = forms.ChoiceField(label=_("Carrier"), required=False)

    def __init__(self, *args, brands=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *((b.pk, b.name) for b in brands)]
        self.fields["carrier"].choices = [("", _("All carriers")), *carrier_choices()]


class ShipmentForm(forms.Form):
    """Every rule that tracking.services.shipment_create checks on a field is checked here too
    (the phone's E.164, the carrier name's plain text; brand, carrier and country are choices),
    so that one submit names every bad field, as the API does (tracking.api.serializers)."""

    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int)
    carrier = forms.ChoiceField(
        label=_("Carrier"), initial="sandbox",
        help_text=_("The sandbox carrier moves the parcel through a realistic journey, without any network."),
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)
    carrier_name = forms.CharField(
        label=_("Carrier name for shoppers"), max_length=64, required=False, validators=[validate_display_text],
        help_text=_("Optional, e.g. PostNL for a manual shipment. Messages and the tracking page show it."),
    )
    order_number = forms.CharField(label=_("Order number"), max_length=64, required=False)
    recipient_name = forms.CharField(label=_("Recipient name"), max_length=200, required=False)
    recipient_email = forms.EmailField(label=_("Recipient e-mail"), required=False)
    recipient_phone = forms.CharField(
        label=_("Recipient mobile"), max_length=16, required=False, validators=[validate_e164],
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+31612345678"}),
        help_text=_("International format. Needed for WhatsApp and SMS."),
    )
    language = forms.ChoiceField(label=_("Shopper's language"), choices=Language.choices, initial=Language.EN)
    to_country = forms.ChoiceField(label=_("Destination country"), initial="NL")
    to_postal_code = forms.CharField(label=_("Postal code"), max_length=16, required=False)
    expected_delivery = forms.DateField(
        label=_("Expected delivery"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # localize: typed and shown with the member's decimal separator, like the spend cap.
    cash_on_delivery_amount = forms.DecimalField(
        label=_("Cash on delivery"), required=False, max_digits=10, decimal_places=2, min_value=Decimal("0.01"),
        localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Optional: the amount paid at the door. The shopper is asked to confirm it."),
    )
    cash_on_delivery_currency = forms.RegexField(
        label=_("Currency"), regex=r"^[A-Z]{3}$", initial="EUR", required=False, max_length=3,
        error_messages={"invalid": _("Give an ISO 4217 code in capitals, e.g. EUR.")},
    )

    def __init__(self, *args, brands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [(b.pk, b.name) for b in brands]
        self.fields["carrier"].choices = carrier_choices()
        self.fields["to_country"].choices = list(countries)
        # A fresh number for an empty form only: a posted form shows what was posted.
        if not self.is_bound:
            self.fields["tracking_number"].initial = sandbox_number()


class EventForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    description = forms.CharField(label=_("Carrier text"), max_length=500, required=False)
