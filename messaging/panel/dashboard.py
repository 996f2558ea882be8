"""The dashboard: this month's messages by channel and state, delivery and read rates, what the
month has charged with its forecast and the spend cap (billing's, asked through the plan policy),
shipments by status, messages per day over the last 30 days and delivery ratings per brand and
carrier."""

from django.utils import timezone
from django.views.generic import TemplateView

from brands import selectors as brand_selectors
from brands.panel.base import PanelMixin
from messaging import message_selectors
from messaging.models import ChannelSetting
from messaging.panel.charts import bar_chart
from messaging.panel.selectors import message_stats, messages_per_day
from messaging.policy import get_policy
from messaging.shopper_request_selectors import ratings_by_brand_and_carrier
from tracking.panel.selectors import shipment_status_counts


class DashboardView(PanelMixin, TemplateView):
    template_name = "panel/dashboard.html"

    def get_context_data(self, **kwargs):
        account = self.account
        now = timezone.now()
        today = now.date()
        first, start, end = message_selectors.parse_period(None, today=today)
        per_day = messages_per_day(account=account, today=today)
        statuses = shipment_status_counts(account=account)
        has_brand = brand_selectors.brand_list(account=account).exists()
        has_channel = ChannelSetting.objects.for_account(account).filter(enabled=True).exists()
        shipments_total = sum(row["count"] for row in statuses)
        return super().get_context_data(
            month=first,
            stats=message_stats(account=account, start=start, end=end),
            spend=get_policy().spend_outlook(account, first, now),
            day_of_month=today.day,
            chart=bar_chart(per_day),
            statuses=statuses,
            shipments_total=shipments_total,
            status_peak=max((row["count"] for row in statuses), default=0),
            setup={"brand": has_brand, "channel": has_channel, "shipment": shipments_total > 0},
            ratings=ratings_by_brand_and_carrier(account=account),
            welcome=self.request.GET.get("welcome") == "1",
            **kwargs,
        )
