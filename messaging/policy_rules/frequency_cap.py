"""The cap on messages per shipment (`max_messages_per_shipment`), actionable statuses first.

The rule:
- The cap counts status entries announced to the shopper (one per entry, whatever the number of
  channels it went on): those with a message sent, queued or scheduled. Suppressed, superseded
  and replaced messages do not count.
- An actionable status (delayed, delivery failed, ready for pickup, delivered, return received,
  post-purchase) is never suppressed by the cap: DESIGN.md's rule 4 says it is always sent, and
  it is the message the shopper needs. It still counts.
- A passing status (ready to ship, in transit, out for delivery, return label created, return
  dropped off) is suppressed (`frequency_cap`) once `cap - RESERVED_FOR_ACTIONABLE` entries have
  been announced: the last place is kept for the journey's end, so the plain journey (ready to
  ship, in transit, out for delivery, delivered) with a cap of 4 sends all four, and the cap never
  drops `delivered` for an `in_transit`.

So a shipment gets at most `cap` messages unless more actionable news comes than the one place
kept for it (a delay and a failed attempt and the delivery): then the shopper hears of each.
"""

from __future__ import annotations

from collections.abc import Collection

from tracking.statuses import PASSING

RESERVED_FOR_ACTIONABLE = 1


def cap_suppresses(*, cap: int | None, announced: Collection[str], status: str) -> bool:
    """Whether the cap suppresses a message for `status`, after the entries in `announced`
    (their statuses, one per entry) were announced for the same shipment."""
    if cap is None or status not in PASSING:
        return False
    return len(announced) >= cap - RESERVED_FOR_ACTIONABLE
