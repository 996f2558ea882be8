"""The merchant's explicit consent to WhatsApp: its pricing and the use of shoppers' phone numbers."""

from django.conf import settings
from django.db import models

from brands.models import Account
from brands.scoping import TenantQuerySet


class WhatsAppConsentQuerySet(TenantQuerySet):
    pass


class WhatsAppConsent(models.Model):
    """One consent given for an account, kept as a record (who, when, at what price).

    Consent may be given again (after a price change, say); the account has consented when any
    row exists. Rows are never edited.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="whatsapp_consents")
    accept_pricing = models.BooleanField()
    accept_phone_data_use = models.BooleanField()
    # A member, or nobody when the consent came through an API key; the label keeps who it was
    # even if the user is deleted later ("owner@shop.example", "API key pc_1a2b3c4d5e6f").
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    given_by_label = models.CharField(max_length=254)
    given_at = models.DateTimeField()
    plan = models.CharField(max_length=16, help_text="The account's plan when consent was given.")
    # The price shown when consent was given (None: no price applied to the plan at that moment).
    unit_price = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)

    objects = WhatsAppConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = "WhatsApp consent"
        constraints = [
            # Consent means both; a row with either false must never count as consent.
            models.CheckConstraint(
                condition=models.Q(accept_pricing=True, accept_phone_data_use=True),
                name="messaging_consent_accepts_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} by {self.given_by_label} at {self.given_at:%Y-%m-%d %H:%M}"
