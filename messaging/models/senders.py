"""A brand's own WhatsApp number: its messages go from it instead of the platform's number.

The access token is stored encrypted (core/field_encryption.py) and never leaves the server: the
API and the panel show the number, never the token. One per brand; a number serves one brand.
"""

from django.db import models

from brands.models import Brand
from brands.scoping import TenantQuerySet


class WhatsAppSenderQuerySet(TenantQuerySet):
    account_path = "brand__account"


class WhatsAppSender(models.Model):
    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="whatsapp_sender")
    # Meta's ids: the number messages are sent from, and the business account (WABA) that owns
    # it and its templates.
    phone_number_id = models.CharField(max_length=32, unique=True)
    business_account_id = models.CharField(max_length=32)
    # As Meta reported them when the credentials were checked.
    display_phone_number = models.CharField(max_length=32, blank=True)
    verified_name = models.CharField(max_length=200, blank=True)
    quality_rating = models.CharField(max_length=16, blank=True)
    # Fernet token (MultiFernet with FIELD_ENCRYPTION_KEYS): never the plain access token.
    access_token_encrypted = models.TextField()
    # The brand's WhatsApp number (footer, <<whatsappnumber>>, tracking page) becomes this number's
    # while it is connected; the one it had before comes back when it is disconnected.
    previous_whatsapp_number = models.CharField(max_length=16, blank=True)
    connected_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = WhatsAppSenderQuerySet.as_manager()

    class Meta:
        ordering = ["brand"]
        verbose_name = "WhatsApp sender"

    def __str__(self) -> str:
        return f"{self.brand} from {self.display_phone_number or self.phone_number_id}"
