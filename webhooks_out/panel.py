"""Settings → Webhooks in the panel: endpoints, the create form (the secret shown once), recent
deliveries with every attempt, "send test event", delete, and switching a failed endpoint back on."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from brands.panel.base import PanelMixin, rule_errors
from webhooks_out import selectors, services
from webhooks_out.models import EventType, WebhookEndpoint

TEMPLATE = "panel/settings/webhooks.html"


class EndpointForm(forms.Form):
    url = forms.CharField(label=_("URL"), max_length=500, help_text=_("https:// address that receives the events."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=list(EventType.values))


class WebhooksMixin(PanelMixin):
    def page(self, *, status: int = 200, **overrides):
        context = {
            "form": EndpointForm(),
            "endpoints": selectors.endpoint_list(account=self.account),
            "deliveries": selectors.recent_deliveries(account=self.account),
            **overrides,
        }
        return render(self.request, TEMPLATE, context, status=status)

    def back(self, message: str):
        return self.done(reverse("panel:webhooks"), message)


class WebhooksView(WebhooksMixin, View):
    def get(self, request):
        return self.page()


class EndpointCreateView(WebhooksMixin, View):
    def post(self, request):
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint, secret = services.endpoint_create(account=self.account, **form.cleaned_data)
            except ValidationError as exc:
                rule_errors(form, exc)
            else:
                # Rendered, not redirected: the secret must never sit in a session or a flash message.
                return self.page(new_endpoint=endpoint, new_secret=secret)
        return self.page(form=form, status=400)


class EndpointActionView(WebhooksMixin, View):
    """POST .../<pk>/<action>/: delete, test, switch-on. Another account's endpoint is a 404."""

    def post(self, request, pk: int, action: str):
        try:
            if action == "delete":
                endpoint = services.endpoint_delete(account=self.account, endpoint_id=pk)
                return self.back(gettext("Endpoint %(url)s deleted: nothing more is sent to it.") % {"url": endpoint.url})
            if action == "test":
                delivery = services.endpoint_send_test(account=self.account, endpoint_id=pk)
                return self.back(gettext("Test event sent to %(url)s; its attempts are listed below.") % {"url": delivery.endpoint.url})
            if action == "switch-on":
                endpoint = services.endpoint_switch_on(account=self.account, endpoint_id=pk)
                return self.back(gettext("Endpoint %(url)s switched back on.") % {"url": endpoint.url})
        except WebhookEndpoint.DoesNotExist:
            raise Http404("No such endpoint.") from None
        raise Http404("No such action.")


urlpatterns = [
    path("settings/webhooks/", WebhooksView.as_view(), name="webhooks"),
    path("settings/webhooks/new/", EndpointCreateView.as_view(), name="webhook-create"),
    path("settings/webhooks/<int:pk>/<slug:action>/", EndpointActionView.as_view(), name="webhook-action"),
]
