"""The dashboard: messages of a date range (default: this month so far) by channel and state,
delivery rates and the read rate of the channels that report reads, each figure a link to the
matching messages; what the month has charged with its forecast and the spend cap (billing's,
asked through the plan policy), shipments by status, messages per day over the last 30 days and
delivery ratings per brand and carrier."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
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

MAX_RANGE_DAYS = 366


class RangeForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", gettext("The end of the range is before its start."))
        elif since and until and (until - since).days >= MAX_RANGE_DAYS:
            self.add_error("until", gettext("Choose at most %(days)d days.") % {"days": MAX_RANGE_DAYS})
        return data


def date_range(params, today: dt.date) -> tuple[RangeForm, dt.date, dt.date]:
    """The chosen days (inclusive), by default the month so far; a bad range keeps the default."""
    form = RangeForm(params or None)
    since, until = today.replace(day=1), today
    if form.is_bound and form.is_valid():
        until = form.cleaned_data["until"] or until
        since = form.cleaned_data["since"] or min(since, until)
    return form, since, until


class DashboardView(PanelMixin, TemplateView):
    template_name = "panel/dashboard.html"

    def get_context_data(self, **kwargs):
        account = self.account
        now = timezone.now()
        today = now.date()
        first, _, _ = message_selectors.parse_period(None, today=today)
        range_form, since, until = date_range(self.request.GET, today)
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
        per_day = messages_per_day(account=account, today=today)
        statuses = shipment_status_counts(account=account)
        has_brand = brand_selectors.brand_list(account=account).exists()
        has_channel = ChannelSetting.objects.for_account(account).filter(enabled=True).exists()
        shipments_total = sum(row["count"] for row in statuses)
        return super().get_context_data(
            month=first,
            range_form=range_form, since=since, until=until,
            is_month_so_far=(since, until) == (first, today),
            range_query=urlencode({"since": since.isoformat(), "until": until.isoformat()}),
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
