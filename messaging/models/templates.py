"""A brand's own copy for an e-mail or SMS message; WhatsApp uses platform templates only."""

from django.db import models

from brands.models import Brand, Language
from brands.scoping import TenantQuerySet
from messaging.channels import editable_channels
from messaging.models.channels import Channel
from tracking.statuses import Status

EDITABLE_CHANNELS = editable_channels()  # e-mail and SMS


class TemplateOverrideQuerySet(TenantQuerySet):
    account_path = "brand__account"


class TemplateOverride(models.Model):
    """Replaces the platform default for one (brand, channel, status, language).

    Saved only through messaging.services.templates, which checks every tag first.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="template_overrides")
    channel = models.CharField(max_length=16, choices=[c for c in Channel.choices if c[0] in EDITABLE_CHANNELS])
    status = models.CharField(max_length=32, choices=Status.choices)
    language = models.CharField(max_length=2, choices=Language.choices)
    subject = models.CharField(max_length=200, blank=True, help_text="E-mail only.")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TemplateOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["brand", "channel", "status", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "channel", "status", "language"], name="messaging_one_override_per_template"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=EDITABLE_CHANNELS), name="messaging_override_editable_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} / {self.channel} / {self.status} / {self.language}"
