"""A brand's sending policy (API.md "Sending policy"): quiet hours, channel fallback, a cap per
shipment, consolidation and when "ready to ship" is announced.

One row per brand, and only for a brand whose merchant changed something: no row means the
defaults (messaging.policy_rules.document.DEFAULT_POLICY), which change nothing. Columns rather
than one JSON document, so the database refuses numbers out of range; the two lists (excepted
statuses, channel order) are JSON lists, checked by messaging.services.sending_policy, the only
writer. Read it through messaging.policy_selectors, which answers for many brands in one query.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from brands.scoping import TenantQuerySet


class ReadyToShip(models.TextChoices):
    LABEL_CREATED = "label_created", _("When the label is created")
    FIRST_SCAN = "first_scan", _("At the carrier's first scan")


class SendingPolicyQuerySet(TenantQuerySet):
    account_path = "brand__account"


class SendingPolicy(models.Model):
    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="sending_policy")
    quiet_hours_enabled = models.BooleanField()
    quiet_hours_start = models.TimeField(help_text="Shopper's local time.")
    quiet_hours_end = models.TimeField(help_text="Shopper's local time; before the start: the next day.")
    quiet_hours_except = models.JSONField(help_text="Status codes sent at once, whatever the hour.")
    fallback_enabled = models.BooleanField()
    fallback_order = models.JSONField(help_text="Channel codes, in the order they are tried.")
    fallback_after_minutes = models.PositiveSmallIntegerField()
    max_messages_per_shipment = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: no cap.")
    consolidation_seconds = models.PositiveIntegerField()
    ready_to_ship = models.CharField(max_length=16, choices=ReadyToShip.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SendingPolicyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "sending policies"
        constraints = [
            models.CheckConstraint(condition=~Q(quiet_hours_start=models.F("quiet_hours_end")),
                                   name="messaging_policy_quiet_window_not_empty"),
            models.CheckConstraint(condition=Q(fallback_after_minutes__gte=1, fallback_after_minutes__lte=1440),
                                   name="messaging_policy_fallback_after_in_range"),
            models.CheckConstraint(
                condition=Q(max_messages_per_shipment__isnull=True)
                | Q(max_messages_per_shipment__gte=1, max_messages_per_shipment__lte=50),
                name="messaging_policy_cap_in_range",
            ),
            models.CheckConstraint(condition=Q(consolidation_seconds__lte=86400),
                                   name="messaging_policy_consolidation_in_range"),
            models.CheckConstraint(condition=Q(ready_to_ship__in=ReadyToShip.values),
                                   name="messaging_policy_known_ready_to_ship"),
        ]

    def __str__(self) -> str:
        return f"Sending policy of {self.brand}"
