""""Send me a test" of the template editor: the e-mail exactly as the preview shows it (the text
being typed, filled with sample data, in the branded layout) to the member's own address, through
the platform's mail backend: the one that sends members' invitations (SMTP in production, the
console in development, the locmem outbox in tests). No Message row (it is about no shipment,
and must count in no statistic); nothing saved."""

from __future__ import annotations

from django.conf import settings

from core.errors import RuleViolation
from messaging.dispatch.composing import email_html
from messaging.previews import template_preview
from messaging.providers.base import OutboundMessage, ProviderError
from messaging.providers.email import DjangoMailProvider
from messaging.rendering import unsubscribe_url


def template_test_send(*, brand, user, status: str, language: str, subject: str | None, body: str | None) -> str:
    """Send the preview of (subject, body) to `user`'s e-mail address; returns that address.
    RuleViolation for a text the preview refuses, a member without an address, or a refusal."""
    if not user.email:
        raise RuleViolation("email", "Your login has no e-mail address to send a test to.", code="no_address")
    preview = template_preview(brand=brand, channel="email", status=status, language=language, body=body,
                               subject=subject)
    link = unsubscribe_url(brand.pk, user.email)
    html = email_html(brand=brand, subject=preview.subject, content=preview.html, unsubscribe_url=link,
                      language=language, tracking_url=preview.tracking_url)
    message = OutboundMessage(message_id=0, channel="email", to=user.email, subject="[Test] " + preview.subject,
                              body=preview.body, html=html, unsubscribe_url=link, from_name=brand.name,
                              reply_to=brand.support_email)
    try:
        DjangoMailProvider(from_email=settings.DEFAULT_FROM_EMAIL).send(message)
    except ProviderError as exc:
        raise RuleViolation("email", f"The test could not be sent: {exc}", code="not_sent") from exc
    return user.email
