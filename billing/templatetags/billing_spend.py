"""`{% spend_banner %}`: the spend cap banner that panel/layout.html shows on every panel page
once the month has reached the cap's alert threshold, until the month ends."""

from django import template
from django.utils import timezone

from billing.spend import spend_banner as banner_for

register = template.Library()


@register.inclusion_tag("panel/billing/_spend_banner.html", takes_context=True)
def spend_banner(context) -> dict:
    account = context.get("current_account")
    return {"banner": banner_for(account=account, at=timezone.now()) if account is not None else None}
