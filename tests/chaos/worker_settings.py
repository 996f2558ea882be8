"""Settings of the Celery workers the chaos tests start: production settings from the environment,
plus a broker that hands a dead worker's task back within seconds (visibility timeout from
CELERY_VISIBILITY_TIMEOUT, abandoned tasks looked for every second)."""

from config.settings import *  # noqa: F401,F403
from config.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
