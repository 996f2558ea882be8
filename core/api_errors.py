"""The API's error shape: 400 `{"field": ["message", ...]}`, plus a stable `code` for rule
violations; Django validation errors raised by services come out the same way as DRF's."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import RuleViolation


# Field errors whose code integrations rely on: the answer names it at top level, as rule
# violations do (`{"occurred_at": [...], "code": "in_the_future"}`).
STABLE_FIELD_CODES = frozenset({"in_the_future"})


def exception_handler(exc, context):
    if isinstance(exc, RuleViolation):
        return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=_django_detail(exc))
    response = drf_exception_handler(exc, context)
    if isinstance(exc, ValidationError) and isinstance(exc.detail, dict) and isinstance(response.data, dict):
        code = stable_code(exc.detail)
        if code and "code" not in response.data:
            response.data["code"] = code
    return response


def _django_detail(exc: DjangoValidationError):
    """Django's error as DRF's detail, keeping each message's code."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": [ErrorDetail(e.message % (e.params or {}), code=e.code) for e in exc.error_list]}
    return {field: [ErrorDetail(e.message % (e.params or {}), code=e.code) for e in errors]
            for field, errors in exc.error_dict.items()}


def stable_code(detail) -> str | None:
    """The first stable code among the errors of a (nested) detail."""
    if isinstance(detail, ErrorDetail):
        return detail.code if detail.code in STABLE_FIELD_CODES else None
    values = detail.values() if isinstance(detail, dict) else detail if isinstance(detail, list) else ()
    return next((code for value in values if (code := stable_code(value))), None)
