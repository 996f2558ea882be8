"""Forms of the billing page. They only shape input (text to numbers): billing.spend validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.spend_models import OnCap


class SpendCapForm(forms.Form):
    # localize: the cap is read and shown with the member's decimal separator ("25,50" in the
    # French panel, "25.50" in the English one), as the page prints money. A dot is still read
    # as the decimal point in every language: USE_THOUSAND_SEPARATOR is off, so no language
    # takes "25.50" for twenty-five hundred and fifty.
    monthly_cap = forms.DecimalField(
        label=_("Monthly cap"), required=False, localize=True,
        help_text=_("WhatsApp charges per calendar month. Leave empty for no cap."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": _("e.g. 50.00"), "autocomplete": "off"}),
    )
    alert_at_percent = forms.IntegerField(
        label=_("Alert at this share of the cap (%)"), initial=80,
        help_text=_("The owners get an e-mail and the panel shows a banner."),
        widget=forms.NumberInput(attrs={"min": 1, "max": 100, "step": 1}),
    )
    on_cap = forms.ChoiceField(label=_("At the cap"), choices=OnCap.choices, initial=OnCap.FALLBACK,
                               widget=forms.RadioSelect)
