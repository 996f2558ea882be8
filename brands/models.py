"""Tenancy core: Account (the tenant), Membership (a user's role in it), Brand, ApiKey."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from brands.scoping import TenantQuerySet
from brands.validators import validate_display_text, validate_e164, validate_time_zone
from core.languages import LANGUAGES


class Plan(models.TextChoices):
    FREE = "free", _("Free")
    LITE = "lite", _("Lite")
    GROWTH = "growth", _("Growth")
    PREMIUM = "premium", _("Premium")


class Language(models.TextChoices):
    EN = "en", "English"
    FR = "fr", "Français"
    DE = "de", "Deutsch"
    NL = "nl", "Nederlands"
    ES = "es", "Español"
    IT = "it", "Italiano"


assert set(Language.values) == set(LANGUAGES)


class Account(models.Model):
    """The tenant: a merchant company. Every piece of tenant data hangs off one."""

    company_name = models.CharField(max_length=200, validators=[validate_display_text])
    country = CountryField(help_text="Where the company is registered (drives price and VAT).")
    plan = models.CharField(max_length=16, choices=Plan.choices, default=Plan.FREE)
    vat_number = models.CharField(max_length=32, blank=True)
    retention_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Days after a shipment's last (terminal) status before its shopper's details are erased.",
    )
    # The panel shows times in this zone (brands.panel.time_zone); stored values stay UTC.
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone],
        help_text="IANA time zone the panel shows times in, e.g. Europe/Amsterdam.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the owner deleted the account but billing records (invoices, charges) must be kept:
    # everything else is gone, nobody can log in or use a key.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["company_name"]

    def __str__(self) -> str:
        return self.company_name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class MembershipQuerySet(TenantQuerySet):
    pass


class Membership(models.Model):
    """A user's place in an account. A user belongs to one account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    # The panel's language for this user; blank follows the browser (brands/panel/language.py).
    language = models.CharField(max_length=2, choices=Language.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.user} ({self.role} of {self.account})"


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))
slug_format = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    _("Use lowercase letters, digits and hyphens (2-50 characters)."),
)


class BrandQuerySet(TenantQuerySet):
    brand_prefix = ""  # a brand is its own brand: a deleted one is left out (TenantQuerySet.for_account)


class Brand(models.Model):
    """A shop name messages are sent in. An account may run several brands."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="brands")
    name = models.CharField(
        max_length=100, validators=[validate_display_text], help_text="Used as <<companyname>> in messages."
    )
    # Slugs are global: they appear in public URLs (/track/b/<slug>/). Unique among brands that are
    # not deleted (constraint below): a deleted brand's slug is free for a new brand.
    slug = models.SlugField(max_length=50, validators=[slug_format])
    whatsapp_number = models.CharField(max_length=16, blank=True, validators=[validate_e164])
    support_email = models.EmailField(blank=True)
    default_language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    primary_color = models.CharField(max_length=7, default="#4f46e5", validators=[hex_colour])
    logo_url = models.URLField(blank=True)
    # Delivery rating (messaging.conversations.rating): after "delivered", wait this long, then
    # ask the shopper to rate 1-5. Off by default.
    rating_ask_enabled = models.BooleanField(default=False)
    rating_ask_delay_hours = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(168)], help_text="Hours after the delivery (0-168)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by brands.services.brand_delete: the brand is gone for its account (every tenant-facing
    # lookup leaves it out, its pages answer 404, nothing is sent for it), but the row stays for the
    # charges and invoice lines that name it and for the shipments the retention job still purges.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], condition=models.Q(deleted_at__isnull=True),
                                    name="brands_brand_live_slug_uniq",
                                    violation_error_message=_("This slug is taken by another brand.")),
        ]

    def __str__(self) -> str:
        return self.name


class ApiKeyQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


def hash_key(raw: str) -> str:
    # Keys carry 256 bits of randomness: a fast hash is enough, no need for a password KDF.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """An account's API key. The raw key is shown once; only its hash and prefix are stored."""

    PREFIX = "pc"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, default="Default")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.PREFIX}_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def generate(cls) -> tuple[str, str]:
        """A new (prefix, raw key) pair. The raw key is `pc_<prefix>_<secret>`."""
        prefix = secrets.token_hex(6)
        return prefix, f"{cls.PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"

    @staticmethod
    def split(raw: str) -> str | None:
        """The prefix of a raw key, or None when it is not shaped like one of ours."""
        parts = raw.split("_", 2)
        if len(parts) != 3 or parts[0] != ApiKey.PREFIX or not parts[1] or not parts[2]:
            return None
        return parts[1]


class AuditEventQuerySet(TenantQuerySet):
    pass


class AuditEvent(models.Model):
    """Who changed what in an account, and when. Written by brands.audit.audit_record only."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="audit_events")
    actor_label = models.CharField(max_length=254, blank=True, help_text="E-mail of the member, or the API key.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64, help_text="e.g. notifications.update, api_key.revoke")
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True, help_text="Before/after where cheap to record.")
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"], name="brands_audit_account_idx")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_label or 'system'}"
