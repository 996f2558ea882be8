"""Provider and carrier settings (all optional: the sandbox without credentials), read from the
environment like the rest of config/settings.py, which imports them. Half-set credentials stop
start-up (messaging/checks.py)."""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

WHATSAPP_ACCESS_TOKEN = env.str("WHATSAPP_ACCESS_TOKEN", default="")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_API_BASE_URL = env.str("WHATSAPP_API_BASE_URL", default="https://graph.facebook.com/v23.0")
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
# The platform's business account (WABA): template sync and gating (messaging.whatsapp_gate); unset: neither.
WHATSAPP_BUSINESS_ACCOUNT_ID = env.str("WHATSAPP_BUSINESS_ACCOUNT_ID", default="")
# Example image handle for the IMAGE header of the delivered-with-photo template; unset: not registered.
WHATSAPP_TEMPLATE_HEADER_HANDLE = env.str("WHATSAPP_TEMPLATE_HEADER_HANDLE", default="")
# Meta's throughput per business number: 80/s by default, up to 1,000/s for upgraded numbers.
WHATSAPP_MESSAGES_PER_SECOND = env.int("WHATSAPP_MESSAGES_PER_SECOND", default=80)
# Different shoppers one business portfolio may reach with templates in a rolling 24 h (0 = unlimited).
WHATSAPP_MESSAGING_LIMIT = env.int("WHATSAPP_MESSAGING_LIMIT", default=2000)
# Fernet keys for secrets stored in the database (brands' WhatsApp tokens): the first encrypts, all
# decrypt (core/field_encryption.py). A malformed key stops start-up.
FIELD_ENCRYPTION_KEYS = [key.strip() for key in env.list("FIELD_ENCRYPTION_KEYS", default=[]) if key.strip()]


def _check_fernet_keys(keys: list[str]) -> None:
    import base64
    import binascii

    for position, key in enumerate(keys, start=1):
        try:
            ok = len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
        except (binascii.Error, ValueError, UnicodeEncodeError):
            ok = False
        if not ok:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 bytes, "
                                       "url-safe base64; make one with Fernet.generate_key()).")


_check_fernet_keys(FIELD_ENCRYPTION_KEYS)
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="https://api.twilio.com")
DHL_API_KEY = env.str("DHL_API_KEY", default="")
DHL_API_BASE_URL = env.str("DHL_API_BASE_URL", default="https://api-eu.dhl.com")
UPS_CLIENT_ID = env.str("UPS_CLIENT_ID", default="")
UPS_CLIENT_SECRET = env.str("UPS_CLIENT_SECRET", default="")
UPS_API_BASE_URL = env.str("UPS_API_BASE_URL", default="https://onlinetools.ups.com")
AFTERSHIP_API_KEY = env.str("AFTERSHIP_API_KEY", default="")
AFTERSHIP_WEBHOOK_SECRET = env.str("AFTERSHIP_WEBHOOK_SECRET", default="")
AFTERSHIP_API_BASE_URL = env.str("AFTERSHIP_API_BASE_URL", default="https://api.aftership.com")
SANDBOX_CARRIER_STEP_SECONDS = env.int("SANDBOX_CARRIER_STEP_SECONDS", default=120)

# Outbound webhooks refuse loopback, private and link-local targets unless this is true (tests and
# development only: a tenant's URL must never reach our own network in production). Strict boolean.
_allow_private = env.str("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default="false").strip().lower()
if _allow_private not in {"true", "1", "yes", "on", "false", "0", "no", "off", ""}:
    raise ImproperlyConfigured(
        f"WEBHOOKS_ALLOW_PRIVATE_TARGETS={_allow_private!r} is not a boolean (use true or false).")
WEBHOOKS_ALLOW_PRIVATE_TARGETS = _allow_private in {"true", "1", "yes", "on"}
