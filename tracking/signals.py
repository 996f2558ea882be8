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

`status_entries_pending` is sent once per committed transaction that left status entries to plan
(`entry_ids`: tracking.StatusEntry ids): the entries its changes wrote, and the still unplanned
entries of events it received again (a client replaying a call whose messages never came). The
entries are the durable record (tracking.status_entries): a receiver that plans from them loses
nothing if its task is lost, a sweeper finds what is left.

Receivers run in the sending process after commit: keep them short (enqueue a task).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

shipment_status_changed = Signal()
shipment_statuses_changed = Signal()
status_entries_pending = Signal()


@dataclass(frozen=True)
class StatusChange:
    shipment_id: int
    status: str
    previous_status: str | None
    event_id: int
    source: str = ""  # the event's (tracking.models.Source): a carrier's, the API's, or Parcelcast's own


def announce_on_commit(changes: Sequence[StatusChange], entry_ids: Sequence[int] = ()) -> None:
    """Announce the changes and the entries to plan of the current transaction once it commits
    (nothing if it rolls back)."""
    if changes or entry_ids:
        changes, entry_ids = list(changes), list(entry_ids)
        transaction.on_commit(lambda: _send(changes, entry_ids))


def _send(changes: list[StatusChange], entry_ids: list[int]) -> None:
    from tracking.models import Shipment  # the sender; imported late to keep this module light

    # The change is committed whatever a receiver does: one failing receiver must neither
    # stop the others nor turn a stored event into an error answer (clients would resend).
    for change in changes:
        _log_failures(shipment_status_changed.send_robust(
            sender=Shipment, shipment_id=change.shipment_id, status=change.status,
            previous_status=change.previous_status, event_id=change.event_id), change)
    if changes:
        _log_failures(shipment_statuses_changed.send_robust(sender=Shipment, changes=changes),
                      f"{len(changes)} changes")
    if entry_ids:
        _log_failures(status_entries_pending.send_robust(sender=Shipment, entry_ids=entry_ids),
                      f"{len(entry_ids)} status entries")


def _log_failures(results, what) -> None:
    for receiver, result in results:
        if isinstance(result, Exception):
            logger.error("status change receiver %r failed for %s", receiver, what,
                         exc_info=(type(result), result, result.__traceback__))
