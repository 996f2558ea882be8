"""SMS: the shopper's phone number, plain text counted in segments (what it costs), Twilio (the
sandbox without credentials). Not billed."""

from __future__ import annotations

from messaging.channels.base import MessageChannel


class SmsChannel(MessageChannel):
    code = "sms"
    # Twilio refuses SMS bodies over 1600 characters.
    body_max_length = 1_600
    counts_segments = True
    answers_stop_itself = True
    sandbox_receipts = (("delivered", 4),)

    def segments(self, text: str):
        from messaging.segments import sms_segments

        return sms_segments(text)
