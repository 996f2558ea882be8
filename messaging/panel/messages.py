"""The message log (filterable, with states, cost and errors), the sandbox outbox (what the sandbox
providers would have sent, shown as a phone or an e-mail) and a shipment's messages (a fragment
the shipment page loads and refreshes with htmx)."""

from django import forms
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from brands import selectors as brand_selectors
from brands.panel.base import PanelMixin
from messaging.message_selectors import message_list
from messaging.models import Channel, Message, MessageState
from messaging.providers.sandbox import MAGIC_RECIPIENTS
from messaging.senders import whatsapp_sender_get
from tracking.models import Shipment
from tracking.statuses import TERMINAL

SANDBOX = "sandbox"
# Appended to a stored e-mail shown in the outbox's narrow frame, so long links wrap there.
WRAP_LINKS_STYLE = "<style>td,p,a,div{overflow-wrap:anywhere;word-break:break-word}</style>"


def with_fallbacks(rows):
    """The other end of each message's fallback link (its channel), in two queries a page."""
    ends = Message.objects.only("id", "channel", "fallback_of_id")
    return rows.prefetch_related(Prefetch("fallbacks", queryset=ends), Prefetch("fallback_of", queryset=ends))


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MessageFilterForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All states")), ("accepted", _("Accepted (sent, delivered or read)")), ("reached", _("Delivered or read")),
        *MessageState.choices])
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=_DATE)
    until = forms.DateField(label=_("To"), required=False, widget=_DATE)
    shipment = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, brands=(), **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *((b.pk, b.name) for b in brands)]


class MessageListView(PanelMixin, TemplateView):
    template_name = "panel/messages/list.html"

    def get_context_data(self, **kwargs):
        brands = list(brand_selectors.brand_list(account=self.account))
        filters = MessageFilterForm(self.request.GET or None, brands=brands)
        values = dict(filters.cleaned_data) if filters.is_valid() else {}
        chosen_filters = {k: v for k, v in values.items() if v and k not in ("since", "until")}
        rows = with_fallbacks(message_list(account=self.account, created_from=values.get("since"),
                                           created_to=values.get("until"), **chosen_filters)
                              .select_related("shipment"))
        chosen = next((b for b in brands if b.pk == values.get("brand")), None)
        return super().get_context_data(
            filters=filters, filtered=any(values.values()), page=self.paginate(rows), brands=brands,
            sending=whatsapp_sending(chosen) if chosen else None, **kwargs
        )


def whatsapp_sending(brand) -> dict:
    """Which number the brand's WhatsApp messages go from (its own, or the platform's)."""
    sender = whatsapp_sender_get(brand=brand)
    return {"brand": brand, "own": sender is not None,
            "number": sender.display_phone_number if sender else "",
            "verified_name": sender.verified_name if sender else ""}


class OutboxView(PanelMixin, TemplateView):
    """Messages the sandbox providers accepted instead of sending: the demo's and a test's inbox."""

    template_name = "panel/messages/outbox.html"

    def get_context_data(self, **kwargs):
        channel = self.request.GET.get("channel")
        channel = channel if channel in Channel.values else None
        rows = message_list(account=self.account, channel=channel).filter(provider=SANDBOX).select_related("shipment")
        return super().get_context_data(
            page=self.paginate(rows, per_page=12), channel=channel, channels=Channel.choices,
            wrap_links_style=WRAP_LINKS_STYLE, magic_recipients=MAGIC_RECIPIENTS, **kwargs
        )


class ShipmentMessagesView(PanelMixin, View):
    """The messages of one shipment (the account's, else 404), refreshed while more may come."""

    def get(self, request, pk: int):
        shipment = get_object_or_404(Shipment.objects.for_account(self.account), pk=pk)
        rows = list(with_fallbacks(message_list(account=self.account, shipment=shipment.pk))
                    .order_by("created_at", "id"))
        pending = any(m.state in (MessageState.QUEUED, MessageState.SCHEDULED, MessageState.SENT) for m in rows)
        return render(request, "panel/shipments/_messages.html", {
            "shipment": shipment,
            "shipment_messages": rows,
            # Keep polling while a message may still move on or the parcel may still move.
            "poll": pending or shipment.status not in TERMINAL,
        })
