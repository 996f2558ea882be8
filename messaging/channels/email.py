"""E-mail: the shopper's address, a subject, an HTML layout around the merchant's copy, Django's
mail backends (the sandbox without one), a List-Unsubscribe header. Not billed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from messaging.channels.base import SAMPLE_RECIPIENT_EMAIL, MessageChannel, message_unsubscribe_url


class EmailChannel(MessageChannel):
    code = "email"
    has_subject = True
    asks_by_link = True
    body_max_length = 20_000
    sandbox_receipts = (("delivered", 2),)

    def address_of(self, shipment) -> str:
        return shipment.recipient_email or ""

    def sample_recipient(self) -> str:
        return SAMPLE_RECIPIENT_EMAIL

    def address_kind(self) -> str:
        return "email"

    def usable_address(self, address: str) -> bool:
        if not address:
            return False
        try:
            validate_email(address)
        except ValidationError:
            return False
        return True

    def provider(self, get):
        from messaging.providers.email import DjangoMailProvider
        from messaging.providers.registry import SANDBOX_EMAIL_BACKENDS
        from messaging.providers.sandbox import SandboxEmailProvider

        if get("EMAIL_BACKEND") in SANDBOX_EMAIL_BACKENDS:
            return SandboxEmailProvider()
        return DjangoMailProvider(from_email=get("DEFAULT_FROM_EMAIL"))

    def outbound_fields(self, message) -> dict:
        # The List-Unsubscribe header (RFC 8058); the body carries the link too.
        return {"unsubscribe_url": message_unsubscribe_url(message)}

    def compose(self, composed, *, brand, resolved, values, status) -> None:
        from messaging.dispatch.composing import email_html
        from messaging.tags import render, render_html

        composed.subject = render(resolved.subject, values)
        composed.body = render(resolved.body, values)
        composed.html = email_html(brand=brand, subject=composed.subject, content=render_html(resolved.body, values),
                                   unsubscribe_url=values["unsubscribe_url"], language=resolved.language,
                                   proof_of_delivery_url=composed.proof_of_delivery_url,
                                   tracking_url=values.get("tracking_url", ""))
