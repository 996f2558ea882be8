import logging
from datetime import datetime

from celery import shared_task
from django.db.models import Q

from brands.models import ApiKey

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def touch_api_key(key_id: int, used_at: str) -> int:
    """Record when a key was last used. Idempotent: a late or repeated run never moves it back."""
    when = datetime.fromisoformat(used_at)
    return (
        ApiKey.objects.filter(pk=key_id)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=when))
        .update(last_used_at=when)
    )


def enqueue_touch(key: ApiKey, used_at: datetime) -> None:
    """Best effort: the last-used time is informational, so a broker hiccup must not fail the API call."""
    try:
        touch_api_key.delay(key.pk, used_at.isoformat())
    except Exception:  # noqa: BLE001 - kombu raises several connection errors
        logger.warning("could not enqueue touch_api_key for key %s", key.prefix, exc_info=True)
