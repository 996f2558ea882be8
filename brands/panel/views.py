from django.views.generic import TemplateView

from brands import selectors
from brands.scoping import AccountScopedPanelMixin


class DashboardView(AccountScopedPanelMixin, TemplateView):
    template_name = "panel/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["brands"] = selectors.brand_list(account=self.account)
        return context
