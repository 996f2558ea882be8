"""Reads of the WhatsApp template rows: for the admin (with the messages waiting on each) and
for merchants (the templates their messages are sent with)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from brands.models import Account
from messaging import whatsapp_gate
from messaging.models import Message, MessageState, WhatsAppTemplate


def with_waiting_counts(rows: QuerySet[WhatsAppTemplate]) -> QuerySet[WhatsAppTemplate]:
    """Each row annotated with `waiting`: messages held for it (scheduled, `template_not_approved`),
    counted through the partial index of scheduled rows."""
    # Every account's messages: an operator's view of the platform's templates.
    held = (
        Message.objects.filter(state=MessageState.SCHEDULED, error_code=whatsapp_gate.REASON,
                               whatsapp_template=OuterRef("name"), whatsapp_language=OuterRef("language"))
        .order_by().values("whatsapp_template").annotate(count=Count("pk")).values("count")
    )
    return rows.annotate(waiting=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)))


def whatsapp_template_list(*, account: Account) -> QuerySet[WhatsAppTemplate]:
    """The templates the account's WhatsApp messages are sent with: the platform business
    account's, and those of the brands' own numbers."""
    from messaging.models import WhatsAppSender

    own = set(WhatsAppSender.objects.for_account(account).values_list("business_account_id", flat=True))
    accounts = ({whatsapp_gate.platform_business_account()} | own) - {""}
    return WhatsAppTemplate.objects.filter(business_account_id__in=accounts).order_by("name", "language")
