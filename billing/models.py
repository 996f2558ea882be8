"""Plans (what each allows) and the price table of WhatsApp template messages.

Both are data an admin edits. Account.plan stores a plan code (brands.models.Plan); the Plan rows
here describe those codes. Prices are never copied into the past: a new price is a new PriceRule
with a later valid_from, and charges snapshot the unit price in force when they were made.
"""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django_countries.fields import CountryField

from brands.models import Plan as PlanCode
from brands.scoping import TenantQuerySet


class Plan(models.Model):
    code = models.CharField(max_length=16, unique=True, choices=PlanCode.choices)
    name = models.CharField(max_length=50)
    whatsapp_allowed = models.BooleanField(default=False)
    max_whatsapp_countries = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Distinct WhatsApp destination countries across the account; empty: unlimited."
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Cheapest first; upgrades go down the list.")

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class PriceRule(models.Model):
    """The unit price of one WhatsApp template message for a plan, from `valid_from` on.

    A rule for the company's country beats the rule without a country; among those, the latest
    valid_from not in the future applies.

    unit_price has 4 decimal places: today's prices are whole cents (EUR 0.16), but provider
    rates and volume prices are quoted below the cent (0.0456); the invoice rounds its lines to
    the cent, never the unit price.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="price_rules")
    company_country = CountryField(blank=True, help_text="Where the merchant's company is registered; empty: any.")
    valid_from = models.DateTimeField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=4, validators=[MinValueValidator(0)])
    currency = models.CharField(
        max_length=3, default="EUR", validators=[RegexValidator(r"^[A-Z]{3}$", "An ISO 4217 code, e.g. EUR.")]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan__sort_order", "company_country", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "company_country", "valid_from"], name="billing_one_price_per_plan_country_moment"
            ),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="billing_price_not_negative"),
        ]

    def __str__(self) -> str:
        where = self.company_country.code if self.company_country else "any country"
        return f"{self.plan} ({where}) from {self.valid_from:%Y-%m-%d}: {self.currency} {self.unit_price}"


class ChargeQuerySet(TenantQuerySet):
    pass


class Charge(models.Model):
    """One billable message: a WhatsApp template message the provider accepted.

    The unit price is snapshotted when the message was accepted; a later price change never
    touches it. One charge per message at most (unique), whatever is replayed.
    """

    account = models.ForeignKey("brands.Account", on_delete=models.PROTECT, related_name="charges")
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="charges")
    message = models.OneToOneField(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="charge"
    )
    channel = models.CharField(max_length=16)
    unit_price = models.DecimalField(max_digits=10, decimal_places=4)
    currency = models.CharField(max_length=3, default="EUR")
    created_at = models.DateTimeField(help_text="When the provider accepted the message.")

    objects = ChargeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "created_at"], name="billing_charge_period_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.currency} {self.unit_price} ({self.account_id})"
