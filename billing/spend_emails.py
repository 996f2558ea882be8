"""The spend alert e-mail to the account's owners: one per SpendAlert, whatever redelivers it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from billing.spend_models import OnCap, SpendAlert
from brands.models import Membership, Role

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def spend_alert_send(*, alert_id: int, now: dt.datetime | None = None) -> bool:
    """E-mail the alert to every owner of its account. The alert is claimed first (a conditional
    UPDATE): a second delivery of the task finds it claimed and sends nothing. A failed send
    gives the claim back, so the task's retry sends it. True when an e-mail went out.

    Owners who saved a panel language (Membership.language) read it in that language, the others
    in English: one e-mail per language. Should a later one of those sends fail, the retry sends
    the earlier ones again (only with owners of different languages)."""
    now = now or timezone.now()
    # System work on a row the charge receiver wrote (an id, not a tenant's request).
    if not SpendAlert.objects.filter(pk=alert_id, emailed_at__isnull=True).update(emailed_at=now):
        return False
    alert = SpendAlert.objects.select_related("account").get(pk=alert_id)
    # Each owner reads it in the panel language saved on their membership, else English.
    by_language: dict[str, set[str]] = {}
    for email, language in (Membership.objects.for_account(alert.account).filter(role=Role.OWNER)
                            .values_list("user__email", "language")):
        if email:
            by_language.setdefault(language if language in LANGUAGE_CODES else "en", set()).add(email)
    if not by_language or alert.account.closed_at is not None:
        return False
    context = {
        "alert": alert, "account": alert.account, "reached": alert.percent >= 100,
        "fallback": alert.on_cap == OnCap.FALLBACK, "spent": alert.spent.quantize(Decimal("0.01")),
        "link": settings.PUBLIC_BASE_URL + reverse("panel:billing") + "#spend-cap",
    }
    try:
        for language, owners in sorted(by_language.items()):
            with translation.override(language):
                subject = render_to_string("billing/spend_alert_subject.txt", context).strip()
                send_mail(subject, render_to_string("billing/spend_alert_email.txt", context), None, sorted(owners))
    except Exception:
        SpendAlert.objects.filter(pk=alert_id).update(emailed_at=None)
        raise
    return True
