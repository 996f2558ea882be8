"""Forms of the billing page. They only shape input (text to numbers): billing.spend validates."""

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.spend_models import OnCap


class SpendCapForm(forms.Form):
    monthly_cap = forms.DecimalField(
        label=_("Monthly cap"), required=False,
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
