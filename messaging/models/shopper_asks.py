"""Questions the bot puts to a shopper and waits on: a cash-on-delivery confirmation (YES/NO) and
a delivery rating (1-5, then an optional comment).

One row per (shipment, kind). `due_at` is the next thing to do for it (send the question, send the
one reminder), null when nothing is left to do: the beat task reads only due rows through a
partial index, so its cost follows the rows due, not the rows stored. `answered_at` closes the
question; `step` says what an answer means now (a rating's score first, then its comment).
"""

from django.db import models
from django.db.models import Q

from brands.models import Brand
from brands.scoping import TenantQuerySet
from tracking.models import Shipment


class AskKind(models.TextChoices):
    COD = "cod", "Cash on delivery confirmation"
    RATING = "rating", "Delivery rating"


class AskStep(models.TextChoices):
    ASK = "ask", "Question to send"
    REMIND = "remind", "Asked; one reminder due if unanswered"
    WAIT = "wait", "Asked; waiting for the answer"
    COMMENT = "comment", "Rated; the next text is the comment"
    CLOSED = "closed", "Answered"


class ShopperAskQuerySet(TenantQuerySet):
    account_path = "brand__account"


class ShopperAsk(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="asks", db_index=False)
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="shopper_asks", db_index=False)
    kind = models.CharField(max_length=8, choices=AskKind.choices)
    recipient = models.CharField(max_length=254, blank=True, help_text="The shopper's E.164 number (replies).")
    step = models.CharField(max_length=8, choices=AskStep.choices, default=AskStep.ASK)
    due_at = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Replies are taken as answers until then (a late YES a week on is not a confirmation).
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShopperAskQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shipment", "kind"], name="messaging_one_ask_per_shipment_kind"),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(due_at__isnull=False), name="messaging_ask_due_idx"),
            # The question a shopper's reply answers: their open asks with a brand, newest first.
            models.Index(fields=["brand", "recipient", "-asked_at"], condition=Q(answered_at__isnull=True),
                         name="messaging_ask_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ask for {self.shipment_id} ({self.step})"
