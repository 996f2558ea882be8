"""Forms of the tenancy pages. They only shape input: the services validate and write."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from brands import services
from brands.models import Brand, Plan
from brands.validators import time_zone_names, validate_display_text
from core.country_zones import zones_by_country


def country_choices(blank: str | None = None) -> list[tuple[str, str]]:
    return [("", blank or gettext("Choose a country…")), *((code, name) for code, name in countries)]


class BrandForm(forms.ModelForm):
    logo_url = forms.URLField(
        label=_("Logo URL"), required=False, assume_scheme="https",
        help_text=_("An https:// link to your logo (PNG or SVG), shown on the tracking page."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Brand
        fields = ("name", "slug", "whatsapp_number", "support_email", "primary_color", "logo_url", "default_language",
                  "rating_ask_enabled", "rating_ask_delay_hours")
        labels = {
            "rating_ask_enabled": _("Ask shoppers to rate the delivery"),
            "rating_ask_delay_hours": _("Hours after delivery"),
            "name": _("Brand name"),
            "slug": _("Slug"),
            "whatsapp_number": _("WhatsApp business number"),
            "support_email": _("Support e-mail"),
            "primary_color": _("Brand colour"),
            "default_language": _("Default language"),
        }
        help_texts = {
            "name": _("Shown to shoppers as <<companyname>>."),
            "slug": _("Used in your public lookup page: /track/b/<slug>/. Lowercase letters, digits and hyphens."),
            "whatsapp_number": _("In international format, e.g. +31612345678. Shown in the footer of messages."),
            "support_email": _("Where shoppers' questions go."),
            "primary_color": _("Colours the tracking page and e-mails."),
            "default_language": _("Used when a shipment does not say which language its shopper speaks."),
            "rating_ask_enabled": _("After delivery, WhatsApp (in an open 24-hour window) and e-mail ask for 1-5."),
            "rating_ask_delay_hours": _("How long after the delivery the question goes (0-168)."),
        }
        widgets = {
            "primary_color": forms.TextInput(attrs={"type": "color"}),
            "whatsapp_number": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+31612345678"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty (or absent from an older form): the brand keeps its delay (2 hours for a new one).
        self.fields["rating_ask_delay_hours"].required = False

    def clean_slug(self):
        # Here too, so that a taken slug is named with the other fields' errors (one round of fixes).
        slug = self.cleaned_data.get("slug")
        if slug and services.brand_slug_taken(slug=slug, brand_pk=self.instance.pk):
            raise forms.ValidationError(services.SLUG_TAKEN)
        return slug

    def clean_rating_ask_delay_hours(self):
        value = self.cleaned_data.get("rating_ask_delay_hours")
        return self.instance.rating_ask_delay_hours if value is None else value


class BrandDeleteForm(forms.Form):
    """The brand's name, typed to confirm its deletion (as GitHub asks for a repository's)."""

    confirm_name = forms.CharField(
        label=_("Type the brand's name to confirm"), max_length=100,
        error_messages={"required": _("Type the brand's name to confirm its deletion.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )

    def __init__(self, *args, brand: Brand, **kwargs):
        super().__init__(*args, **kwargs)
        self.brand = brand
        self.fields["confirm_name"].label = gettext("Type “%(name)s” to confirm") % {"name": brand.name.strip()}
        self.fields["confirm_name"].widget.attrs["data-confirm-name"] = brand.name.strip()

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"]
        if typed != self.brand.name.strip():
            raise forms.ValidationError(
                gettext("That is not the brand's name: type “%(name)s” exactly.") % {"name": self.brand.name.strip()}
            )
        return typed


class SignupForm(forms.Form):
    company = forms.CharField(label=_("Company name"), max_length=200, validators=[validate_display_text])
    country = forms.ChoiceField(
        label=_("Registered country"), choices=country_choices, help_text=_("Where your company is registered (sets prices and VAT).")
    )
    plan = forms.ChoiceField(label=_("Plan"), choices=Plan.choices, initial=Plan.LITE, widget=forms.RadioSelect)
    email = forms.EmailField(label=_("Your work e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password."),
    )


class AccountForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200, validators=[validate_display_text])
    country = forms.ChoiceField(
        label=_("Registered country"), choices=country_choices,
        help_text=_("Sets the price of future WhatsApp messages and the VAT of invoices."),
    )
    vat_number = forms.CharField(label=_("VAT number"), max_length=32, required=False)


def zone_choices(country: str) -> list[tuple[str, str]]:
    """Every IANA zone, the country's own first, then the rest alphabetically."""
    own = list(zones_by_country().get(str(country or "").upper(), ()))
    rest = sorted(time_zone_names() - set(own))
    return [(name, name.replace("_", " ")) for name in own + rest]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The panel shows dates and times in this zone, for everyone in your account."),
    )

    def __init__(self, *args, country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices(country)


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Key name"), max_length=100, initial="", help_text=_("e.g. “Shopify store” or “ERP”."))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the new member"))
