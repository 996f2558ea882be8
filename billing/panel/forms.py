"""Forms of the billing page. They only shape input (text to numbers): billing.spend validates."""

from django import forms

from billing.spend_models import OnCap


class SpendCapForm(forms.Form):
    monthly_cap = forms.DecimalField(
        label="Monthly cap", required=False,
        help_text="WhatsApp charges per calendar month. Leave empty for no cap.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "e.g. 50.00", "autocomplete": "off"}),
    )
    alert_at_percent = forms.IntegerField(
        label="Alert at (% of the cap)", initial=80,
        help_text="The owners get an e-mail and the panel shows a banner.",
        widget=forms.NumberInput(attrs={"min": 1, "max": 100, "step": 1}),
    )
    on_cap = forms.ChoiceField(label="At the cap", choices=OnCap.choices, initial=OnCap.FALLBACK,
                               widget=forms.RadioSelect)
