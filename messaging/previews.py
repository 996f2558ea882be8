"""A message as the shopper would receive it, for the template editor: the brand's template (or a
draft text) filled with a real shipment of the brand, or with sample data. Writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from brands.models import Brand
from core.errors import RuleViolation
from messaging.channels import channel_of
from messaging.rendering import tag_values
from messaging.segments import SegmentInfo
from messaging.services.templates import (
    SUBJECT_MAX_LENGTH,
    check_editable,
    check_template_key,
    check_text,
)
from messaging.tags import render, render_html
from messaging.template_selectors import language_chain, resolve_template
from tracking.models import Shipment


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    html: str | None = None  # e-mail only
    segments: SegmentInfo | None = None  # SMS only
    tracking_url: str = ""  # e-mail only: the layout's button


def template_preview(
    *,
    brand: Brand,
    channel: str,
    status: str,
    language: str | None = None,
    body: str | None = None,
    subject: str | None = None,
    shipment_id: Any = None,
) -> Preview:
    """Render `body`/`subject` (default: the brand's current template) for `status`.

    `language` defaults to the shipment's, then the brand's; a shipment must belong to the brand.
    """
    shipment = _shipment(brand, shipment_id) if shipment_id is not None else None
    language = language_chain(language or getattr(shipment, "language", None), brand)[0]
    check_template_key(channel=channel, status=status, language=language)
    values = tag_values(brand=brand, channel=channel, status=status, language=language, shipment=shipment)
    kind = channel_of(channel)
    if not kind.editable:  # a platform template: shown as it is, never a draft
        if body is not None or subject is not None:
            check_editable(channel)
        return Preview(subject="", body=kind.platform_preview(status, language, values))
    if body is not None:
        check_text("body", body, max_length=kind.body_max_length)
    if subject is not None and kind.has_subject:
        check_text("subject", subject, max_length=SUBJECT_MAX_LENGTH)
    if body is None or (kind.has_subject and subject is None):
        current = resolve_template(brand, channel, status, language)
        body = current.body if body is None else body
        subject = current.subject if subject is None else subject
    if kind.has_subject:
        return Preview(subject=render(subject, values), body=render(body, values), html=render_html(body, values),
                       tracking_url=values.get("tracking_url", ""))
    text = kind.sendable_text(render(body, values))
    return Preview(subject="", body=text, segments=kind.segments(text))


def _shipment(brand: Brand, shipment_id: Any):
    """The brand's shipment with this id; a shipment of another brand or account is not found."""
    shipment = None
    if isinstance(shipment_id, int) and not isinstance(shipment_id, bool):
        shipment = Shipment.objects.for_account(brand.account).filter(brand=brand, pk=shipment_id).first()
    if shipment is None:
        raise RuleViolation("shipment", f"No shipment {shipment_id!s:.20} for this brand.", code="not_found")
    return shipment
