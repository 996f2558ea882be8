"""Shoppers as WhatsApp shows them: a phone number, a business-scoped user id, or both.

Meta is rolling out user ids (`US.13491208655302741918`) that may come instead of the number in
webhooks. Our messages, opt-outs and shipments are keyed by the number, so every webhook that
shows both (a status about a message we sent to a number, an inbound message with `from` and
`from_user_id`, a `contacts` entry) teaches the pair, and a later webhook that shows only the user
id is read as that number (messaging.dispatch.identities).

Platform-wide, not per account: a user id is scoped to the business that receives it and names
one WhatsApp user; no tenant reads this table, only the webhook handlers do.
"""

from django.db import models


class WhatsAppUser(models.Model):
    user_id = models.CharField(max_length=64, unique=True)
    phone = models.CharField(max_length=32, help_text="E.164, as our messages and opt-outs key the shopper.")
    seen_at = models.DateTimeField(help_text="When a webhook last showed this pair.")

    class Meta:
        verbose_name = "WhatsApp user id"
        # Retention's purge of pairs no webhook has shown for long (messaging.retention) reads by it.
        indexes = [models.Index(fields=["seen_at"], name="messaging_whatsappuser_seen")]

    def __str__(self) -> str:
        return f"{self.user_id} = {self.phone}"
