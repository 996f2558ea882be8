"""The spend alert e-mail to the account's owners: one per SpendAlert, whatever redelivers it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from billing.spend_models import OnCap, SpendAlert
from brands.models import Membership, Role


def spend_alert_send(*, alert_id: int, now: dt.datetime | None = None) -> bool:
    """E-mail the alert to every owner of its account. The alert is claimed first (a conditional
    UPDATE): a second delivery of the task finds it claimed and sends nothing. A failed send
    gives the claim back, so the task's retry sends it. True when an e-mail went out."""
    now = now or timezone.now()
    # System work on a row the charge receiver wrote (an id, not a tenant's request).
    if not SpendAlert.objects.filter(pk=alert_id, emailed_at__isnull=True).update(emailed_at=now):
        return False
    alert = SpendAlert.objects.select_related("account").get(pk=alert_id)
    owners = sorted({email for email in Membership.objects.for_account(alert.account).filter(role=Role.OWNER)
                     .values_list("user__email", flat=True) if email})
    if not owners or alert.account.closed_at is not None:
        return False
    context = {
        "alert": alert, "account": alert.account, "reached": alert.percent >= 100,
        "fallback": alert.on_cap == OnCap.FALLBACK, "spent": alert.spent.quantize(Decimal("0.01")),
        "link": settings.PUBLIC_BASE_URL + reverse("panel:billing") + "#spend-cap",
    }
    subject = render_to_string("billing/spend_alert_subject.txt", context).strip()
    try:
        send_mail(subject, render_to_string("billing/spend_alert_email.txt", context), None, owners)
    except Exception:
        SpendAlert.objects.filter(pk=alert_id).update(emailed_at=None)
        raise
    return True
