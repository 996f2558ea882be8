"""System checks of messaging: provider credentials set only in part are an error at start-up
(`manage.py check`, `migrate`, `runserver`), not at send time (DESIGN, send decisions, rule 5).
Registered in MessagingConfig.ready."""

from django.core.checks import Error

from messaging.providers.registry import half_set_credentials

CHECK_IDS = {"whatsapp": "messaging.E001", "sms": "messaging.E002"}


def provider_credentials(app_configs=None, **kwargs) -> list[Error]:
    return [Error(problem, hint="See .env.example: WhatsApp Business Cloud API, Twilio SMS.", id=CHECK_IDS[channel])
            for channel, problem in half_set_credentials().items()]
