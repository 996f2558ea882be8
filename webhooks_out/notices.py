"""The e-mail telling an account's owners that an endpoint was switched off."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from brands.models import Membership, Role
from webhooks_out.models import WebhookEndpoint


def endpoint_switched_off_notify(*, endpoint_id: int) -> bool:
    # System work after the switch-off committed; the endpoint's own account is the only one read.
    endpoint = WebhookEndpoint.objects.select_related("account").filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.active or endpoint.account.closed_at is not None:
        return False
    owners = sorted({email for email in Membership.objects.for_account(endpoint.account).filter(role=Role.OWNER)
                     .values_list("user__email", flat=True) if email})
    if not owners:
        return False
    context = {"endpoint": endpoint, "account": endpoint.account,
               "link": settings.PUBLIC_BASE_URL + reverse("panel:webhooks")}
    subject = render_to_string("webhooks_out/switched_off_subject.txt", context).strip()
    send_mail(subject, render_to_string("webhooks_out/switched_off_email.txt", context), None, owners)
    return True
