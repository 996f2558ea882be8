"""SMS: the shopper's phone number, plain text counted in segments (what it costs), Twilio (the
sandbox without credentials). Not billed. Links are short (`/s/<code>`) and the text is
smart-encoded into GSM-7, so a default SMS fits one segment."""

from __future__ import annotations

from messaging.channels.base import MessageChannel


class SmsChannel(MessageChannel):
    code = "sms"
    # Twilio refuses SMS bodies over 1600 characters.
    body_max_length = 1_600
    counts_segments = True
    short_links = True
    answers_stop_itself = True
    takes_replies = True
    sandbox_receipts = (("delivered", 4),)

    credentials = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")

    def provider(self, get):
        from messaging.providers.sandbox import SandboxSmsProvider
        from messaging.providers.twilio_sms import TwilioSmsProvider

        if not all(get(name) for name in self.credentials):
            return SandboxSmsProvider()
        return TwilioSmsProvider(account_sid=get("TWILIO_ACCOUNT_SID"), auth_token=get("TWILIO_AUTH_TOKEN"),
                                 from_number=get("TWILIO_FROM_NUMBER"), base_url=get("TWILIO_API_BASE_URL"))

    def outbound_fields(self, message) -> dict:
        from django.conf import settings

        # Our id in the callback URL: Twilio's status callbacks then prove an acceptance we lost
        # (dispatch/evidence.py).
        return {"status_callback_url": f"{settings.PUBLIC_BASE_URL}/webhooks/twilio/status/?m={message.pk}"}

    def sendable_text(self, text: str) -> str:
        from messaging.segments import smart_encode

        return smart_encode(text)

    def segments(self, text: str):
        from messaging.segments import sms_segments

        return sms_segments(text)
