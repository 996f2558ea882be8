"""What shoppers asked for through their replies (shopper requests) and how they rated a delivery.

Written by the conversation flows (reschedule, pickup point, address change, cash on delivery,
rating) through messaging.services.shopper_requests, which also announce them to webhooks. The
shopper's words (details, comment) are erased with the shipment's other shopper data by the
retention purge (messaging/retention.py).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from brands.scoping import TenantQuerySet
from tracking.models import Shipment


class ShopperRequestKind(models.TextChoices):
    RESCHEDULE = "reschedule", _("Reschedule the delivery")
    PICKUP_POINT = "pickup_point", _("Deliver to a pickup point")
    ADDRESS_CHANGE = "address_change", _("Change the address")
    COD_CONFIRMED = "cod_confirmed", _("Cash on delivery confirmed")
    COD_DECLINED = "cod_declined", _("Cash on delivery declined")


class ShopperRequestState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ShopperRequestQuerySet(TenantQuerySet):
    account_path = "brand__account"


class ShopperRequest(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="shopper_requests")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="shopper_requests", db_index=False)
    kind = models.CharField(max_length=32, choices=ShopperRequestKind.choices)
    details = models.JSONField(default=dict, blank=True, help_text='What the shopper chose, e.g. {"date": "2026-12-04"}.')
    state = models.CharField(max_length=8, choices=ShopperRequestState.choices, default=ShopperRequestState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_label = models.CharField(max_length=254, blank=True)

    objects = ShopperRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The panel's and the API's list: a brand's requests, open ones first looked at.
            models.Index(fields=["brand", "state", "-created_at"], name="messaging_shopreq_brand_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.shipment_id} ({self.state})"


class DeliveryRatingQuerySet(TenantQuerySet):
    account_path = "brand__account"


class DeliveryRating(models.Model):
    """One rating per shipment (the first one given counts); `carrier` copied from the shipment so
    ratings per carrier stay what they were if the shipment's carrier is corrected later."""

    shipment = models.OneToOneField(Shipment, on_delete=models.CASCADE, related_name="rating")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="delivery_ratings", db_index=False)
    carrier = models.CharField(max_length=32)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveryRatingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="messaging_rating_score_1_to_5"),
        ]
        indexes = [models.Index(fields=["brand", "carrier", "-created_at"], name="messaging_rating_brand_idx")]

    def __str__(self) -> str:
        return f"{self.score}/5 for {self.shipment_id}"
