"""Requests: what shoppers asked through their replies (cash on delivery answers, reschedules,
pickup points, address changes), open ones by default, each with a done button."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from brands.panel.base import PanelMixin
from messaging.api.base import actor
from messaging.models import ShopperRequest, ShopperRequestState
from messaging.services.shopper_requests import shopper_request_set_state
from messaging.shopper_request_selectors import shopper_request_list


class RequestListView(PanelMixin, TemplateView):
    template_name = "panel/requests/list.html"

    def get_context_data(self, **kwargs):
        state = self.request.GET.get("state")
        state = state if state in ShopperRequestState.values else ShopperRequestState.OPEN
        page = self.paginate(shopper_request_list(account=self.account, state=state).select_related("brand"))
        return super().get_context_data(page=page, state=state, states=ShopperRequestState.choices, **kwargs)


class RequestDoneView(PanelMixin, View):
    """POST: the request is done (the panel's PATCH {"state": "done"}). Another account's: 404."""

    def post(self, request, pk: int):
        try:
            done = shopper_request_set_state(account=self.account, request_id=pk, state=ShopperRequestState.DONE,
                                             by_label=actor(request)[1])
        except ShopperRequest.DoesNotExist:
            raise Http404 from None
        return self.done(reverse("panel:requests"), gettext("Request for %(number)s marked done.") % {"number": done.shipment.tracking_number})
