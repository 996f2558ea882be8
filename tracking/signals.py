"""What tracking tells the apps to its right (messaging subscribes; tracking imports nothing of it).

`shipment_status_changed` is sent once per shipment whose status really moved, and only
after the transaction that moved it has committed (a rolled-back ingest announces nothing):

    @receiver(shipment_status_changed)
    def plan_messages(sender, *, shipment_id, status, previous_status, event_id, **kwargs): ...

- `shipment_id`: the shipment (re-read it; nothing else is passed).
- `status` / `previous_status`: status codes (`previous_status` is None for the first one).
- `event_id`: the TrackingEvent that set the new status.

`shipment_statuses_changed` is sent once per committed transaction with all its changes
(`changes`: a list of StatusChange), right after the per-shipment signals: a receiver that works
in batches (messaging plans a bulk ingest's messages in a few tasks, not one per parcel)
subscribes to this one instead.

Receivers run in the sending process after commit: keep them short (enqueue a task).
"""

import logging
from dataclasses import asdict, dataclass

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

shipment_status_changed = Signal()
shipment_statuses_changed = Signal()


@dataclass(frozen=True)
class StatusChange:
    shipment_id: int
    status: str
    previous_status: str | None
    event_id: int


def announce_on_commit(changes: list[StatusChange]) -> None:
    """Announce the changes of the current transaction once it commits (nothing if it rolls back)."""
    if changes:
        changes = list(changes)
        transaction.on_commit(lambda: _send(changes))


def _send(changes: list[StatusChange]) -> None:
    from tracking.models import Shipment  # the sender; imported late to keep this module light

    # The change is committed whatever a receiver does: one failing receiver must neither
    # stop the others nor turn a stored event into an error answer (clients would resend).
    for change in changes:
        _log_failures(shipment_status_changed.send_robust(sender=Shipment, **asdict(change)), change)
    _log_failures(shipment_statuses_changed.send_robust(sender=Shipment, changes=changes), f"{len(changes)} changes")


def _log_failures(results, what) -> None:
    for receiver, result in results:
        if isinstance(result, Exception):
            logger.error("status change receiver %r failed for %s", receiver, what,
                         exc_info=(type(result), result, result.__traceback__))
