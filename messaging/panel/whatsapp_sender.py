"""The "WhatsApp number" section of a brand's settings page: connect the brand's own number (the
three credentials, checked with Meta), see which number sends, disconnect it."""

from django import forms
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from brands.panel.base import PanelMixin, rule_errors
from core.errors import RuleViolation
from messaging.senders import (
    SenderUnavailable,
    whatsapp_sender_connect,
    whatsapp_sender_disconnect,
    whatsapp_sender_get,
)

SECTION = "panel/brands/_whatsapp_sender.html"
PAGE = "panel/brands/whatsapp_sender.html"


class WhatsAppSenderForm(forms.Form):
    phone_number_id = forms.CharField(label=_("Phone number ID"), max_length=32,
                                      help_text=_("WhatsApp Manager > Phone numbers: the number's ID (digits)."),
                                      widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    business_account_id = forms.CharField(label=_("WhatsApp business account ID"), max_length=32,
                                          help_text=_("The WABA that owns the number and its templates."),
                                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    access_token = forms.CharField(
        label=_("Access token"), max_length=2048,
        help_text=_("A permanent system-user token. Stored encrypted; never shown again."),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False))


def section_context(brand, form=None) -> dict:
    return {"brand": brand, "sender": whatsapp_sender_get(brand=brand), "sender_form": form or WhatsAppSenderForm()}


def brand_section(request, brand) -> str:
    """The section as brands' settings page shows it (registered in MessagingConfig.ready)."""
    return render_to_string(SECTION, section_context(brand), request=request)


class WhatsAppSenderConnectView(PanelMixin, View):
    def post(self, request, brand_id: int):
        brand = self.brand_or_404(brand_id)
        form = WhatsAppSenderForm(request.POST)
        if form.is_valid():
            try:
                sender = whatsapp_sender_connect(brand=brand, **form.cleaned_data)
            except RuleViolation as exc:
                rule_errors(form, exc)
            except SenderUnavailable as exc:
                form.add_error(None, str(exc))
            else:
                return self.done(reverse("panel:brand-edit", args=[brand.pk]) + "#whatsapp-number",
                                 gettext("%(brand)s's WhatsApp messages now go from %(number)s.")
                                 % {"brand": brand.name, "number": sender.display_phone_number})
        # The token is never rendered back (PasswordInput without its value).
        return render(request, PAGE, section_context(brand, form), status=400)


class WhatsAppSenderDisconnectView(PanelMixin, View):
    def post(self, request, brand_id: int):
        brand = self.brand_or_404(brand_id)
        whatsapp_sender_disconnect(brand=brand)
        return self.done(reverse("panel:brand-edit", args=[brand.pk]) + "#whatsapp-number",
                         gettext("%(brand)s's WhatsApp messages go from Parcelcast's number again.") % {"brand": brand.name})
