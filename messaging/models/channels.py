"""Notification settings: per brand and channel a switch, destination countries, and per country
a toggle for every status.

Rows, not a JSON column: unique constraints keep one setting per (brand, channel), one row per
country and one toggle per status; dispatch finds "which channels are on for this brand, country
and status" with one indexed query; and removing a country cascades to its toggles.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from brands.models import Brand
from brands.scoping import TenantQuerySet
from tracking.statuses import Status


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class ChannelSettingQuerySet(TenantQuerySet):
    account_path = "brand__account"


class ChannelSetting(models.Model):
    """One brand's switch for one channel. No row means the channel is off."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="channel_settings")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelSettingQuerySet.as_manager()

    class Meta:
        ordering = ["brand", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "channel"], name="messaging_one_setting_per_brand_channel"),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="messaging_setting_known_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} / {self.get_channel_display()} ({'on' if self.enabled else 'off'})"


class ChannelCountryQuerySet(TenantQuerySet):
    account_path = "setting__brand__account"


class ChannelCountry(models.Model):
    """A destination country a brand's channel sends to. A country must be added to receive anything."""

    setting = models.ForeignKey(ChannelSetting, on_delete=models.CASCADE, related_name="countries")
    country = CountryField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChannelCountryQuerySet.as_manager()

    class Meta:
        ordering = ["setting", "country"]
        verbose_name_plural = "channel countries"
        constraints = [
            models.UniqueConstraint(fields=["setting", "country"], name="messaging_one_row_per_channel_country"),
        ]

    def __str__(self) -> str:
        return f"{self.setting.brand} / {self.setting.channel} / {self.country}"


class StatusToggleQuerySet(TenantQuerySet):
    account_path = "channel_country__setting__brand__account"


class StatusToggle(models.Model):
    """Whether a status triggers a message for a (brand, channel, country). A missing row is off."""

    channel_country = models.ForeignKey(ChannelCountry, on_delete=models.CASCADE, related_name="toggles")
    status = models.CharField(max_length=32, choices=Status.choices)
    enabled = models.BooleanField(default=True)

    objects = StatusToggleQuerySet.as_manager()

    class Meta:
        ordering = ["channel_country", "status"]
        constraints = [
            models.UniqueConstraint(fields=["channel_country", "status"], name="messaging_one_toggle_per_status"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_country} / {self.status}: {'on' if self.enabled else 'off'}"
