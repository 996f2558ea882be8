"""Shipments: a searchable, filterable list; a form to create one (the sandbox carrier by default,
so a merchant can try the whole flow); a detail page with the event timeline. The messages of a
shipment belong to messaging: the detail page loads them from messaging's panel (htmx), so this
app does not import the one to its right."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.generic import FormView, TemplateView

from brands import selectors as brand_selectors
from brands.panel.base import PanelMixin, rule_errors
from tracking import presentation, selectors, services
from tracking.models import Source
from tracking.panel.forms import EventForm, ShipmentFilterForm, ShipmentForm
from tracking.panel.selectors import shipment_search

# Carriers whose parcels only move when someone says so: a merchant may record test events.
TEST_EVENT_CARRIERS = ("sandbox", "manual")


class ShipmentListView(PanelMixin, TemplateView):
    template_name = "panel/shipments/list.html"

    def get_context_data(self, **kwargs):
        brands = list(brand_selectors.brand_list(account=self.account))
        filters = ShipmentFilterForm(self.request.GET or None, brands=brands)
        values = filters.cleaned_data if filters.is_valid() else {}
        rows = shipment_search(
            account=self.account,
            q=values.get("q", ""),
            brand=values.get("brand"),
            status=values.get("status", ""),
            carrier=values.get("carrier", ""),
        )
        page = self.paginate(rows)
        page.object_list = list(page.object_list)
        for shipment in page.object_list:
            shipment.carrier_label = carrier_label(shipment)
        return super().get_context_data(
            filters=filters, filtered=any(values.values()), page=page, brands=brands, **kwargs
        )


class ShipmentCreateView(PanelMixin, FormView):
    template_name = "panel/shipments/form.html"
    form_class = ShipmentForm

    @cached_property
    def brands(self) -> list:
        return list(brand_selectors.brand_list(account=self.account))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "brands": self.brands}

    def get_context_data(self, **kwargs):
        return super().get_context_data(brands=self.brands, **kwargs)

    def form_valid(self, form):
        try:
            shipment, created = services.shipment_create(account=self.account, **form.cleaned_data)
        except ValidationError as exc:
            rule_errors(form, exc)
            return self.form_invalid(form)
        message = gettext("Shipment created.") if created else gettext("This shipment existed already: here it is.")
        if created and shipment.carrier == "sandbox":
            message += " " + gettext("The sandbox carrier moves it along every few minutes; or record an event below.")
        return self.done(reverse("panel:shipment-detail", args=[shipment.pk]), message)


class ShipmentDetailMixin(PanelMixin):
    def get_shipment(self):
        return get_object_or_404(selectors.shipment_detail_queryset(account=self.account), pk=self.kwargs["pk"])


class ShipmentDetailView(ShipmentDetailMixin, TemplateView):
    template_name = "panel/shipments/detail.html"

    def get_context_data(self, event_form=None, **kwargs):
        shipment = self.get_shipment()
        can_test = shipment.carrier in TEST_EVENT_CARRIERS
        return super().get_context_data(
            shipment=shipment,
            events=shipment.events.all(),  # prefetched, newest first
            carrier_label=carrier_label(shipment),
            public_url=reverse("tracking:page", args=[shipment.tracking_token]),
            event_form=(event_form or EventForm(initial={"status": _next_status(shipment.status)})) if can_test else None,
            **kwargs,
        )


class ShipmentEventView(ShipmentDetailMixin, FormView):
    """Record a test event on a sandbox or manual shipment: the messages follow as for a real one."""

    form_class = EventForm
    template_name = "panel/shipments/detail.html"
    http_method_names = ("post",)

    def form_valid(self, form):
        shipment = self.get_shipment()
        if shipment.carrier not in TEST_EVENT_CARRIERS:
            messages.error(self.request, gettext("Only sandbox and manual shipments take events from the panel."))
            return redirect("panel:shipment-detail", shipment.pk)
        try:
            services.event_record(shipment=shipment, source=Source.API, occurred_at=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            rule_errors(form, exc)
            return self.form_invalid(form)
        return self.done(reverse("panel:shipment-detail", args=[shipment.pk]), gettext("Event recorded."))

    def form_invalid(self, form):
        view = ShipmentDetailView(request=self.request, kwargs=self.kwargs)
        return self.render_to_response(view.get_context_data(event_form=form))


def carrier_label(shipment) -> str:
    """The carrier for the merchant: 'DHL', 'Sandbox', and the name shoppers see when the shipment
    has its own ('Manual · PostNL')."""
    label = presentation.carrier_name(shipment.carrier)
    shown = shipment.carrier_name
    return f"{label} · {shown}" if shown and shown != label else label


_JOURNEY = ("ready_to_ship", "in_transit", "out_for_delivery", "delivered")


def _next_status(status: str | None) -> str:
    """The usual next step, to pre-select in the test event form."""
    if status is None:
        return _JOURNEY[0]
    if status in _JOURNEY[:-1]:
        return _JOURNEY[_JOURNEY.index(status) + 1]
    return "delivered"
