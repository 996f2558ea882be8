"""What Meta says of each WhatsApp template registered in a business account (WABA).

One row per (business account, name, language), written by the sync (`whatsapp_templates sync`,
messaging.services.whatsapp_template_sync) and moved at once by the template webhooks. Not
tenant data: the platform's templates serve every account, and a brand's own business account
(brand-owned senders) gets rows of its own under its id. Sending reads these rows (through a
cache, messaging.whatsapp_gate) to decide whether a template may be used.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateStatus(models.TextChoices):
    APPROVED = "APPROVED", _("Approved")
    PENDING = "PENDING", _("Pending review")
    REJECTED = "REJECTED", _("Rejected")
    PAUSED = "PAUSED", _("Paused")
    DISABLED = "DISABLED", _("Disabled")


class TemplateCategory(models.TextChoices):
    UTILITY = "UTILITY", _("Utility")
    MARKETING = "MARKETING", _("Marketing")
    AUTHENTICATION = "AUTHENTICATION", _("Authentication")


class TemplateQuality(models.TextChoices):
    GREEN = "GREEN", _("High")
    YELLOW = "YELLOW", _("Medium")
    RED = "RED", _("Low")
    UNKNOWN = "UNKNOWN", _("Unknown")


class WhatsAppTemplate(models.Model):
    business_account_id = models.CharField(max_length=32)
    name = models.CharField(max_length=512)
    language = models.CharField(max_length=16, help_text="Meta's language code, e.g. en, pt_BR.")
    meta_id = models.CharField(max_length=32, blank=True)
    # Meta's word, kept as given (it has more statuses than the five we act on: IN_APPEAL...).
    status = models.CharField(max_length=32, choices=TemplateStatus.choices, default=TemplateStatus.PENDING)
    category = models.CharField(max_length=32, choices=TemplateCategory.choices, blank=True)
    quality = models.CharField(max_length=16, choices=TemplateQuality.choices, default=TemplateQuality.UNKNOWN)
    rejection_reason = models.CharField(max_length=255, blank=True)
    # What we registered (the POST body's components), or what Meta listed for one we did not.
    components = models.JSONField(default=list, blank=True)
    message_send_ttl_seconds = models.PositiveIntegerField(null=True, blank=True)
    # Last time Meta told us about it (list, creation answer or webhook).
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["business_account_id", "name", "language"]
        verbose_name = "WhatsApp template"
        constraints = [
            models.UniqueConstraint(fields=["business_account_id", "name", "language"],
                                    name="messaging_one_whatsapp_template_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language}): {self.status}"
