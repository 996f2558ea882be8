"""Writes of a brand's template overrides (e-mail subject + body, SMS body).

Every tag is checked when the text is saved (messaging.tags.validate_template), so a message can
never be built from a broken template. WhatsApp cannot be edited: Meta only delivers approved
platform templates.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from brands.audit import Actor, audit_record
from brands.models import Brand
from core.errors import RuleViolation, Violations
from messaging.channels import channel_of
from messaging.models import EDITABLE_CHANNELS, Channel, TemplateOverride
from messaging.tags import PART_PROBLEMS, UNSUBSCRIBE_TAG, TemplateError, validate_template
from tracking.statuses import ALL_CODES, LANGUAGES

NOT_EDITABLE_MESSAGE = "WhatsApp messages use approved platform templates and cannot be edited."
SUBJECT_MAX_LENGTH = 200


def check_template_key(*, channel: str, status: str, language: str) -> None:
    """RuleViolation for a (channel, status, language) that names no template."""
    if channel not in Channel.values:
        raise RuleViolation("channel", f"Unknown channel '{channel[:24]}'.", code="invalid_channel")
    if status not in ALL_CODES:
        raise RuleViolation("status", f"Unknown status '{status[:32]}'.", code="invalid_status")
    if language not in LANGUAGES:
        raise RuleViolation("language", f"Unknown language '{language[:8]}'.", code="invalid_language")


def check_editable(channel: str) -> None:
    if channel not in EDITABLE_CHANNELS:
        raise RuleViolation("channel", NOT_EDITABLE_MESSAGE, code="not_editable")


def check_text(field: str, text: str, *, max_length: int) -> None:
    """Tags and optional parts of a subject or body: unknown, malformed or nested tags and broken
    `[[...]]` parts are refused, naming them. The code is the first problem's."""
    try:
        validate_template(text, max_length=max_length)
    except TemplateError as exc:
        kind = exc.errors[0].kind
        code = ("too_long" if kind == "too_long"
                else "invalid_optional_part" if kind in PART_PROBLEMS else "invalid_tag")
        raise RuleViolation(field, _summary(exc), code=code) from None


def _summary(exc: TemplateError, shown: int = 5) -> str:
    """The first few problems, in text order: enough to fix the text, short enough to read."""
    problems = [problem for problem in exc.errors if problem.kind != "too_many"]
    message = " ".join(problem.message for problem in problems[:shown])
    if len(problems) < len(exc.errors):
        return f"{message} ... and many more problems."
    if len(problems) > shown:
        return f"{message} ... and {len(problems) - shown} more problems."
    return message


@transaction.atomic
def template_override_save(
    *, brand: Brand, channel: str, status: str, language: str, subject: Any = "", body: Any,
    actor: Actor | None = None,
) -> TemplateOverride:
    """Create or replace the brand's own text for (channel, status, language). A refusal names the
    problems of the body and of the subject together."""
    check_template_key(channel=channel, status=status, language=language)
    check_editable(channel)
    subject = "" if subject is None else subject
    found = Violations()
    with found.check():
        _check_body(channel, body)
    with found.check():
        _check_subject(channel, subject)
    found.raise_any()
    previous = TemplateOverride.objects.filter(brand=brand, channel=channel, status=status, language=language).first()
    override, _ = TemplateOverride.objects.update_or_create(
        brand=brand, channel=channel, status=status, language=language,
        defaults={"subject": subject.strip(), "body": body},
    )
    audit_record(
        account=brand.account, action="template.save", actor=actor, object_type="brand", object_id=brand.pk,
        template=f"{channel}/{status}/{language}",
        before={"subject": previous.subject, "body": previous.body} if previous else None,
        after={"subject": override.subject, "body": override.body},
    )
    return override


def _check_body(channel: str, body: Any) -> None:
    if not isinstance(body, str) or not body.strip():
        raise RuleViolation("body", "Write the message text.", code="required")
    check_text("body", body, max_length=channel_of(channel).body_max_length)
    if UNSUBSCRIBE_TAG not in body:
        raise RuleViolation(
            "body", f"Every message carries an unsubscribe link: add {UNSUBSCRIBE_TAG} to the text.",
            code="unsubscribe_required",
        )


def _check_subject(channel: str, subject: Any) -> None:
    if not isinstance(subject, str):
        raise RuleViolation("subject", "Give the subject as text.", code="invalid")
    if channel_of(channel).has_subject:
        if not subject.strip():
            raise RuleViolation("subject", "An e-mail needs a subject.", code="required")
        if "\n" in subject or "\r" in subject:
            raise RuleViolation("subject", "A subject is a single line.", code="invalid")
        check_text("subject", subject, max_length=SUBJECT_MAX_LENGTH)
    elif subject:
        raise RuleViolation("subject", "SMS messages have no subject; leave it empty.", code="invalid")


@transaction.atomic
def template_override_delete(
    *, brand: Brand, channel: str, status: str, language: str, actor: Actor | None = None
) -> None:
    """Back to the platform default (nothing to do when there is no override)."""
    check_template_key(channel=channel, status=status, language=language)
    check_editable(channel)
    deleted, _ = TemplateOverride.objects.for_account(brand.account).filter(
        brand=brand, channel=channel, status=status, language=language
    ).delete()
    if deleted:
        audit_record(account=brand.account, action="template.reset", actor=actor, object_type="brand",
                     object_id=brand.pk, template=f"{channel}/{status}/{language}")
