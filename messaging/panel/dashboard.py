"""The dashboard: messages of a date range (default: this month so far) by channel and state,
delivery rates and the read rate of the channels that report reads, each figure a link to the
matching messages; what the range has charged (for this month: with its forecast and the spend
cap, billing's, asked through the plan policy), shipments by status, messages per day (the last
30 days, or the chosen range) and delivery ratings per brand and carrier."""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
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
from messaging.policy import SpendOutlook, get_policy
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


def is_this_month(since: dt.date, until: dt.date, today: dt.date) -> bool:
    """The range is this month (so far, or to a day still ahead in it): its forecast and cap apply."""
    first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return since == first and today <= until <= last


@dataclass(frozen=True)
class RangeCost:
    """What the chosen days charged; `spend` (forecast, cap) only when they are this month."""

    currency: str
    amount: Decimal
    spend: SpendOutlook | None = None


def range_cost(*, account, since: dt.date, until: dt.date, now: dt.datetime) -> RangeCost:
    """This month: billing's outlook (one figure with the forecast and cap the rest of the panel shows).
    Any other range: its charges (message_selectors.usage, what its invoice bills); no forecast, no
    cap: they are a month's."""
    today = now.date()
    if is_this_month(since, until, today):
        spend = get_policy().spend_outlook(account, today.replace(day=1), now)
        return RangeCost(currency=spend.currency, amount=spend.spent, spend=spend)
    start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    usage = message_selectors.usage(account=account, start=start, end=end)
    return RangeCost(currency=usage["currency"], amount=usage["amount"])


def chart_days(*, since: dt.date, until: dt.date, today: dt.date, month_so_far: bool) -> tuple[dt.date, int]:
    """(last day, number of days) the chart shows: the last 30 days by default (a month's first
    days alone would be a bar or two), else the chosen range."""
    if month_so_far:
        return today, 30
    return until, (until - since).days + 1


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
        month_so_far = (since, until) == (first, today)
        chart_end, chart_length = chart_days(since=since, until=until, today=today, month_so_far=month_so_far)
        per_day = messages_per_day(account=account, today=chart_end, days=chart_length)
        statuses = shipment_status_counts(account=account)
        has_brand = brand_selectors.brand_list(account=account).exists()
        has_channel = ChannelSetting.objects.for_account(account).filter(enabled=True).exists()
        shipments_total = sum(row["count"] for row in statuses)
        return super().get_context_data(
            month=first,
            range_form=range_form, since=since, until=until,
            is_month_so_far=month_so_far,
            range_query=urlencode({"since": since.isoformat(), "until": until.isoformat()}),
            stats=message_stats(account=account, start=start, end=end),
            cost=range_cost(account=account, since=since, until=until, now=now),
            day_of_month=today.day,
            chart=bar_chart(per_day),
            chart_is_range=not month_so_far,
            chart_ends_today=chart_end == today,
            statuses=statuses,
            shipments_total=shipments_total,
            status_peak=max((row["count"] for row in statuses), default=0),
            setup={"brand": has_brand, "channel": has_channel, "shipment": shipments_total > 0},
            ratings=ratings_by_brand_and_carrier(account=account),
            welcome=self.request.GET.get("welcome") == "1",
            **kwargs,
        )
