"""The spend cap's models: the cap an account sets, the running totals of its charges (per month
for the cap, per day for the forecast) and the alerts sent when a threshold was reached."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from brands.scoping import TenantQuerySet


class OnCap(models.TextChoices):
    FALLBACK = "fallback", _("Send by the fallback channels")
    PAUSE = "pause", _("Pause WhatsApp messages")


class SpendCapQuerySet(TenantQuerySet):
    pass


class SpendCap(models.Model):
    """An account's monthly WhatsApp spend cap, in the currency of its prices. No row: no cap,
    alert at 80%, fallback (billing.spend.CapSettings). `monthly_cap` null keeps the other settings."""

    account = models.OneToOneField("brands.Account", on_delete=models.CASCADE, related_name="spend_cap")
    monthly_cap = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    alert_at_percent = models.PositiveSmallIntegerField(default=80)
    on_cap = models.CharField(max_length=8, choices=OnCap.choices, default=OnCap.FALLBACK)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SpendCapQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_cap__gte=0), name="billing_spend_cap_not_negative"),
            models.CheckConstraint(
                condition=models.Q(alert_at_percent__gte=1, alert_at_percent__lte=100), name="billing_spend_alert_percent"
            ),
            models.CheckConstraint(condition=models.Q(on_cap__in=OnCap.values), name="billing_spend_on_cap_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.monthly_cap if self.monthly_cap is not None else 'no cap'}"


class SpendMonthQuerySet(TenantQuerySet):
    pass


class SpendMonth(models.Model):
    """What an account's charges of one month add up to, kept running by billing.spend_tracking.

    One row per account and month, added to with one upsert per wave of charges: the cap and its
    alerts are checked against it without summing the month's charges, and its row lock puts the
    waves of one account in a line, so exactly one of them sees a threshold first.
    """

    account = models.ForeignKey("brands.Account", on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField(help_text="First day of the month (UTC, like invoices).")
    amount = models.DecimalField(max_digits=14, decimal_places=4, default=0)

    objects = SpendMonthQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "month"], name="billing_one_spend_per_month")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}: {self.amount}"


class DailySpendQuerySet(TenantQuerySet):
    pass


class DailySpend(models.Model):
    """What an account's charges of one day (UTC) add up to: the forecast's history, 63 small
    rows instead of weeks of charges. Kept with SpendMonth, in the same transaction."""

    account = models.ForeignKey("brands.Account", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=4, default=0)

    objects = DailySpendQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="billing_one_spend_per_day")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}: {self.amount}"


class SpendAlertQuerySet(TenantQuerySet):
    pass


class SpendAlert(models.Model):
    """A threshold of a cap reached in a month: `percent` is the alert threshold or 100 (the cap).

    Unique per account, month, threshold and cap: one e-mail each, however many waves of charges
    pass it; a new cap amount is a new promise and alerts again. `emailed_at` is claimed by the
    task that sends the e-mail (billing.tasks.send_spend_alert), so a redelivery sends nothing.
    """

    account = models.ForeignKey("brands.Account", on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()
    percent = models.PositiveSmallIntegerField()
    monthly_cap = models.DecimalField(max_digits=12, decimal_places=2)
    spent = models.DecimalField(max_digits=14, decimal_places=4, help_text="The month's charges when it was reached.")
    currency = models.CharField(max_length=3, default="EUR")
    on_cap = models.CharField(max_length=8, choices=OnCap.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = SpendAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month", "percent", "monthly_cap"], name="billing_one_alert_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}: {self.percent}% of {self.monthly_cap}"
