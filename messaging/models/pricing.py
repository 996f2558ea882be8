"""Meta's pricing of a message, as its status webhooks last said (`pricing`: billable, pricing
model, category, type). One row per message, written in bulk per webhook (dispatch/pricing.py);
billing reconciles charges against it (billing/reconciliation.py)."""

from django.db import models

from brands.scoping import TenantQuerySet


class MessagePricingQuerySet(TenantQuerySet):
    account_path = "message__brand__account"


class MessagePricing(models.Model):
    class Type(models.TextChoices):
        REGULAR = "regular", "Regular (billed)"
        FREE_CUSTOMER_SERVICE = "free_customer_service", "Free: customer service window"
        FREE_ENTRY_POINT = "free_entry_point", "Free: entry point window"

    message = models.OneToOneField("messaging.Message", on_delete=models.CASCADE, primary_key=True,
                                   related_name="meta_pricing")
    billable = models.BooleanField(null=True)
    pricing_model = models.CharField(max_length=32, blank=True)
    category = models.CharField(max_length=32, blank=True, help_text="Meta's category, lower case (utility, marketing...).")
    pricing_type = models.CharField(max_length=32, blank=True, help_text="regular, free_customer_service, free_entry_point.")
    # The time of the status that said it: a late or replayed webhook never overwrites a newer word.
    seen_at = models.DateTimeField()

    objects = MessagePricingQuerySet.as_manager()

    class Meta:
        verbose_name = "Meta pricing of a message"

    def __str__(self) -> str:
        return f"message {self.message_id}: {self.category or '?'} billable={self.billable} ({self.pricing_type})"
