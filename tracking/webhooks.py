"""`POST /webhooks/carriers/<carrier>/`: events a carrier pushes to us.

No session, no API key, no CSRF: the carrier's own scheme (a signature, checked by the
adapter's `parse_webhook`) is the authentication. A rejected payload stores nothing: 403 when
the signature is missing or wrong (or no secret is configured), 400 when it is signed but
unreadable. Events are matched by (carrier, tracking number) across all accounts and stored
idempotently, so a carrier's retries are harmless.
"""

import logging

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimit import ratelimit
from tracking import services
from tracking.carriers import UnknownCarrier, WebhookRejected, get_adapter

logger = logging.getLogger(__name__)


def _is_payload_problem(exc: WebhookRejected) -> bool:
    # Adapters raise WebhookRejected for both cases. An unreadable body is raised `from` the
    # parsing error; a signature failure has no cause. Anything unclear is treated as a
    # signature failure (403), which stores nothing either way.
    kind = getattr(exc, "kind", None)
    if kind is not None:
        return kind == "payload"
    return exc.__cause__ is not None


@ratelimit("webhook")
@csrf_exempt
@require_POST
def carrier_webhook(request, carrier: str):
    try:
        adapter = get_adapter(carrier)
    except UnknownCarrier:
        raise Http404("No such carrier.") from None
    try:
        events = adapter.parse_webhook(request.body, request.headers)
    except WebhookRejected as exc:
        if _is_payload_problem(exc):
            logger.warning("%s webhook: unreadable payload: %s", carrier, exc)
            return JsonResponse({"detail": "The payload could not be read."}, status=400)
        logger.warning("%s webhook refused: %s", carrier, exc)
        return JsonResponse({"detail": "Signature check failed."}, status=403)
    result = services.carrier_events_record(carrier=adapter.code, events=events)
    return JsonResponse({"accepted": result.accepted, "duplicates": result.duplicates, "unknown": len(result.unknown)})
