"""Plans (what each allows), the price table of WhatsApp template messages, charges, VAT rates
and invoices.

Both are data an admin edits. Account.plan stores a plan code (brands.models.Plan); the Plan rows
here describe those codes. Prices are never copied into the past: a new price is a new PriceRule
with a later valid_from, and charges snapshot the unit price in force when they were made.
"""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
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
    touches it. One charge per message at most (unique), whatever is replayed. `invoice_line`
    says which invoice billed it: a charge is billed at most once, and never left out.
    """

    # No index of its own: billing_charge_period_idx (account, created_at) serves lookups by account,
    # and every index costs a write when the monthly job links millions of charges to their lines.
    account = models.ForeignKey("brands.Account", on_delete=models.PROTECT, related_name="charges", db_index=False)
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="charges")
    message = models.OneToOneField(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="charge"
    )
    channel = models.CharField(max_length=16)
    unit_price = models.DecimalField(max_digits=10, decimal_places=4)
    currency = models.CharField(max_length=3, default="EUR")
    created_at = models.DateTimeField(help_text="When the provider accepted the message.")
    # Set by the monthly job when an invoice line bills it; null again when that invoice is voided.
    invoice_line = models.ForeignKey(
        "billing.InvoiceLine", null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )

    objects = ChargeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "created_at"], name="billing_charge_period_idx"),
            # Only charges not billed yet: small (about one month), and what the job looks for.
            models.Index(
                fields=["account", "created_at"], condition=models.Q(invoice_line__isnull=True),
                name="billing_charge_unbilled_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.currency} {self.unit_price} ({self.account_id})"


class VatRate(models.Model):
    """The standard VAT rate of a country, in percent. Admins edit it; invoices snapshot it.

    An EU country without a row cannot be invoiced (the job refuses rather than guess 0%); a
    country outside the EU without a row is invoiced at 0% (outside the scope of EU VAT).
    """

    country = CountryField(unique=True)
    rate = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0)], help_text="Percent, e.g. 21.00."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country"]
        verbose_name = "VAT rate"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__gte=0) & models.Q(rate__lt=100), name="billing_vat_rate_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.code} {self.rate}%"


class InvoiceCounter(models.Model):
    """The last invoice number handed out in a year. Locked (select_for_update) by numbering."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class InvoiceQuerySet(TenantQuerySet):
    def visible_to_merchants(self) -> "InvoiceQuerySet":
        """Drafts are the admins' work in progress; void invoices are no longer owed."""
        return self.filter(status__in=(InvoiceStatus.ISSUED, InvoiceStatus.PAID))


class Invoice(models.Model):
    """An account's invoice for one month. Made as a draft by the monthly job (billing.invoicing),
    moved on only by billing.invoice_services. The customer's details are snapshotted at creation
    so a later rename or move does not rewrite a legal document.

    Once issued, nothing about the amounts changes: `save()` refuses it (FROZEN_FIELDS).
    """

    FROZEN_FIELDS = (
        "account_id", "period", "currency", "net", "vat_rate", "vat", "total", "reverse_charge", "vat_note",
        "customer_name", "customer_country", "customer_vat_number", "number", "issued_at", "notes",
    )

    account = models.ForeignKey("brands.Account", on_delete=models.PROTECT, related_name="invoices")
    period = models.DateField(help_text="First day of the invoiced month.")
    status = models.CharField(max_length=8, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    number = models.CharField(max_length=20, null=True, blank=True, unique=True, editable=False)
    currency = models.CharField(max_length=3, default="EUR")
    net = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0, help_text="Percent.")
    vat = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    reverse_charge = models.BooleanField(default=False)
    vat_note = models.CharField(max_length=200, blank=True)
    customer_name = models.CharField(max_length=200)
    customer_country = CountryField()
    customer_vat_number = models.CharField(max_length=32, blank=True)
    plan = models.CharField(max_length=16, choices=PlanCode.choices, help_text="The account's plan when invoiced.")
    notes = models.TextField(blank=True, help_text="Printed on the invoice; editable while it is a draft.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            # One live invoice per account and month; a void one steps aside for its correction.
            models.UniqueConstraint(
                fields=["account", "period"], condition=~models.Q(status="void"), name="billing_one_invoice_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(status="void", number__isnull=True)
                | models.Q(number__isnull=False, issued_at__isnull=False),
                name="billing_issued_invoice_has_number",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="billing_invoice_period_idx")]

    def __str__(self) -> str:
        return self.number or f"Draft {self.period:%Y-%m} {self.customer_name}"

    @property
    def period_label(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status != InvoiceStatus.DRAFT

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_stored_state()
        return instance

    def save(self, *args, **kwargs):
        stored_status = getattr(self, "_stored_status", InvoiceStatus.DRAFT)
        if stored_status != InvoiceStatus.DRAFT:
            changed = [name for name, value in self._frozen_state().items() if value != self._stored_state[name]]
            if self.status == InvoiceStatus.DRAFT:
                changed.append("status")
            if changed:
                raise InvoiceLocked(f"Invoice {self} is {stored_status}: {', '.join(changed)} cannot change.")
        super().save(*args, **kwargs)
        self._remember_stored_state()

    def _frozen_state(self) -> dict:
        # Raw attribute values (a country code, not a Country object): compared as stored.
        return {name: self.__dict__.get(name) for name in self.FROZEN_FIELDS}

    def _remember_stored_state(self) -> None:
        self._stored_status = self.status
        self._stored_state = self._frozen_state()


class InvoiceLocked(Exception):
    """An issued, paid or void invoice was about to change."""


class InvoiceLineQuerySet(TenantQuerySet):
    account_path = "invoice__account"


class InvoiceLine(models.Model):
    """Charges of one brand, channel and unit price. amount = quantity x unit_price, to the cent."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    brand = models.ForeignKey("brands.Brand", on_delete=models.PROTECT, related_name="invoice_lines")
    brand_name = models.CharField(max_length=100, help_text="The brand's name when invoiced.")
    channel = models.CharField(max_length=16)
    unit_price = models.DecimalField(max_digits=10, decimal_places=4)
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "brand_name", "channel", "-unit_price"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "brand", "channel", "unit_price"], name="billing_one_line_per_price"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand_name} {self.channel} {self.quantity} x {self.unit_price}"


# The spend cap's models live beside these (billing.spend_models); imported so Django sees them.
from billing.spend_models import DailySpend, OnCap, SpendAlert, SpendCap, SpendMonth  # noqa: E402,F401
