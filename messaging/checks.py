"""System checks of messaging: provider credentials set only in part are an error at start-up
(`manage.py check`, `migrate`, `runserver`), not at send time (DESIGN, send decisions, rule 5).
Registered in MessagingConfig.ready."""

from django.core.checks import Error

from messaging.providers.registry import half_set_credentials

CHECK_IDS = {"whatsapp": "messaging.E001", "sms": "messaging.E002"}


def provider_credentials(app_configs=None, **kwargs) -> list[Error]:
    return [Error(problem, hint="See .env.example: WhatsApp Business Cloud API, Twilio SMS.", id=CHECK_IDS[channel])
            for channel, problem in half_set_credentials().items()]


def field_encryption_keys(app_configs=None, **kwargs) -> list[Error]:
    """With DEBUG off and no FIELD_ENCRYPTION_KEYS, stored brand tokens could not be read: start-up
    stops once a brand has connected its own number (before that, nothing needs a key)."""
    from django.db import DatabaseError

    from core import field_encryption
    from messaging.models import WhatsAppSender

    if field_encryption.keys():
        return []
    try:
        connected = WhatsAppSender.objects.exists()
    except DatabaseError:  # no database yet (a build step, before migrate): nothing stored to read
        return []
    if not connected:
        return []
    return [Error("FIELD_ENCRYPTION_KEYS is not set, but brands have connected their own WhatsApp numbers whose "
                  "access tokens are stored encrypted with it.",
                  hint="Set FIELD_ENCRYPTION_KEYS to the key(s) those tokens were stored with (.env.example).",
                  id="messaging.E003")]
