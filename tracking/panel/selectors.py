"""Reads the shipment pages need beyond tracking.selectors: free-text search and status counts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from brands.models import Account
from tracking import selectors
from tracking.models import Shipment, normalise_tracking_number
from tracking.statuses import Status


def shipment_search(
    *, account: Account, q: str = "", brand=None, status: str = "", carrier: str = ""
) -> QuerySet[Shipment]:
    """The account's shipments whose tracking number, order number or recipient (name, e-mail,
    phone) contains `q`, filtered by brand, status ("none": no event yet) and carrier."""
    filters = {"brand": brand, "carrier": carrier}
    if status and status != "none":
        filters["status"] = status
    rows = selectors.shipment_list(account=account, filters=filters)
    if status == "none":
        rows = rows.filter(status__isnull=True)
    q = (q or "").strip()
    if q:
        number = normalise_tracking_number(q)
        rows = rows.filter(
            Q(tracking_number__icontains=number)
            | Q(order_number__icontains=q)
            | Q(recipient_name__icontains=q)
            | Q(recipient_email__icontains=q)
            | Q(recipient_phone__icontains=q.replace(" ", ""))
        )
    return rows


def shipment_status_counts(*, account: Account) -> list[dict]:
    """[{"status", "label", "count"}] for every status in taxonomy order (zeros included), and
    "none" for shipments still waiting for their first event. One query."""
    counts = dict(
        Shipment.objects.for_account(account).order_by().values_list("status").annotate(n=Count("id"))
    )
    rows = [{"status": "none", "label": gettext("Awaiting first scan"), "count": counts.get(None, 0)}]
    rows += [{"status": code, "label": label, "count": counts.get(code, 0)} for code, label in Status.choices]
    return rows
