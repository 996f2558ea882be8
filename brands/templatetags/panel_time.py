"""`{{ when|moment }}`: a time in the panel, with its date unless it is today.

The panel's times are in the account's zone (brands.panel.time_zone); a bare "07:00" for a
message held until tomorrow morning reads as a time that has passed. Today: "07:00"; another
day this year: "4 Dec, 07:00"; another year: "4 Dec 2027, 07:00". No seconds: noise there.
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

register = template.Library()


@register.filter
def moment(value) -> str:
    if not value:
        return ""
    local, today = timezone.localtime(value), timezone.localdate()
    if local.date() == today:
        return date_filter(local, "H:i")
    return date_filter(local, "j M, H:i" if local.year == today.year else "j M Y, H:i")
