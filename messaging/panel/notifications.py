"""Tracking messages, the heart of the panel: per brand and channel the switch, the destination
countries and a country x status grid of toggles that save at once (htmx), the WhatsApp consent
dialog and the plan limit where it bites. Every write goes through messaging.services; a refusal
(RuleViolation) is shown inline and nothing changes.

htmx posts answer the channel panel (#channel-panel) re-rendered from the database, so what the
merchant sees is always what is stored; the grid's own writes answer only what they changed
(messaging/panel/grid.py). Classic posts (no JavaScript) redirect back to the page.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django_htmx.http import trigger_client_event

from brands import selectors as brand_selectors
from brands.panel.base import PanelMixin
from core.errors import RuleViolation
from messaging import selectors
from messaging.channels import channel_of
from messaging.models import Channel, ChannelSetting
from messaging.services.consent import whatsapp_consent_give
from messaging.services.notifications import channel_set_enabled

PAGE = "panel/notifications/page.html"
PANEL = "panel/notifications/_panel.html"
SWITCH = "panel/notifications/_channel_switch.html"


def _checked(value) -> bool:
    return value in ("on", "true", "1")


class NotificationsHome(PanelMixin, View):
    """/app/notifications/: the chosen (or first) brand's page; an empty state without brands."""

    def get(self, request):
        brands = list(brand_selectors.brand_list(account=self.account))
        if not brands:
            return render(request, PAGE, {"brands": [], "no_brands": True})
        wanted = request.GET.get("brand")
        brand = next((b for b in brands if str(b.pk) == wanted), brands[0])
        channel = request.GET.get("channel") if request.GET.get("channel") in Channel.values else Channel.values[0]
        return redirect("panel:notifications", brand.pk, channel)


class ChannelMixin(PanelMixin):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["channel"] not in Channel.values:
            raise Http404("No such channel.")
        return super().dispatch(request, *args, **kwargs)

    @property
    def brand(self):
        if not hasattr(self, "_brand"):
            self._brand = self.brand_or_404(self.kwargs["brand_id"])
        return self._brand

    @property
    def channel(self) -> str:
        return self.kwargs["channel"]

    def page_url(self) -> str:
        return reverse("panel:notifications", args=[self.brand.pk, self.channel])

    def panel_context(self, *, document=None, error: str = "", error_field: str = "", consent_error: str = "",
                      show_consent: bool = False) -> dict:
        """What the channel panel shows. `document`: the one a service write just returned (it is
        what is stored now), else all three are read."""
        account, brand, channel = self.account, self.brand, self.channel
        if document is None:
            documents = {each.channel: each for each in selectors.channel_documents(brand=brand)}
            document, enabled = documents[channel], {code: each.enabled for code, each in documents.items()}
        else:
            enabled = dict(ChannelSetting.objects.for_account(account).filter(brand=brand)
                           .values_list("channel", "enabled"))
            enabled[channel] = document.enabled
        context = {
            "brand": brand,
            "channel": channel,
            "channel_label": Channel(channel).label,
            "tabs": [(code, label, enabled.get(code, False)) for code, label in Channel.choices],
            "document": document,
            "error": error,
            "error_field": error_field,
            "consent_error": consent_error,
            "show_consent": show_consent or bool(consent_error),
        }
        context.update(channel_of(channel).settings_context(account))
        from messaging.panel.grid import grid_context  # the grid module builds on this one

        context.update(grid_context(brand=brand, channel=channel, document=document, account=account))
        return context

    def respond(self, **context_kwargs):
        context = self.panel_context(**context_kwargs)
        if self.request.htmx:
            response = render(self.request, PANEL, context)
            if not (context["error"] or context["consent_error"]):
                trigger_client_event(response, "pc-saved", {"message": gettext("Saved.")})
            return response
        if context["error"] or context["consent_error"]:
            return self.full_page(context)
        messages.success(self.request, gettext("Saved."))
        return redirect(self.page_url())

    def full_page(self, context: dict):
        context["brands"] = brand_selectors.brand_list(account=self.account)
        return render(self.request, PAGE, context)

    def attempt(self, write, **kwargs):
        """Run a service write; a refusal is shown beside what it names, and nothing changed."""
        try:
            document = write(brand=self.brand, channel=self.channel, **kwargs)
        except RuleViolation as exc:
            return self.respond(error=exc.message, error_field=exc.field)
        return self.respond(document=document)


class NotificationsView(ChannelMixin, View):
    def get(self, request, brand_id: int, channel: str):
        return self.full_page(self.panel_context(show_consent=request.GET.get("consent") == "1"))


class ChannelSwitchView(ChannelMixin, View):
    """The channel's on/off switch. With htmx the answer is the switch's card, the tabs and the
    cost estimate (not the grid); a refusal is a 422 with the reason, and the switch goes back."""

    def post(self, request, brand_id: int, channel: str):
        enabled = _checked(request.POST.get("enabled"))
        if not request.htmx:
            return self.attempt(channel_set_enabled, enabled=enabled)
        try:
            document = channel_set_enabled(brand=self.brand, channel=channel, enabled=enabled)
        except RuleViolation as exc:
            return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8",
                                headers={"X-Error-Field": exc.field})
        response = render(request, SWITCH, self.panel_context(document=document))
        label = Channel(channel).label
        saved = gettext("%(channel)s is on.") if document.enabled else gettext("%(channel)s is off.")
        trigger_client_event(response, "pc-saved", {"message": saved % {"channel": label}})
        return response


class ConsentView(ChannelMixin, View):
    """The pricing dialog's answer: record the account's consent, then switch WhatsApp on."""

    def post(self, request, brand_id: int, channel: str):
        if not channel_of(channel).needs_consent:
            raise Http404("Consent is for WhatsApp.")
        try:
            whatsapp_consent_give(
                account=self.account,
                accept_pricing=_checked(request.POST.get("accept_pricing")),
                accept_phone_data_use=_checked(request.POST.get("accept_phone_data_use")),
                given_by=request.user,
                given_by_label=request.user.email or request.user.get_username(),
            )
        except RuleViolation as exc:
            return self.respond(consent_error=exc.message)
        return self.attempt(channel_set_enabled, enabled=True)
