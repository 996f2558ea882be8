"""Quiet hours: whether a message may go now, else when, in the shopper's local time.

The window is the wall clock in the shopper's zone (tracking.shopper_zones.shopper_zone), start
included and end excluded; an end before the start means the next day (21:00 to 08:00). Wall
clock, not a duration: on a daylight-saving day the night is an hour shorter or longer, and the
message still goes at 08:00 local. An end time that does not exist that day (inside the
spring-forward gap) is read with the offset before the gap: 02:30 becomes 03:30.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from messaging.policy_rules.document import Policy


def next_send_time(now: datetime, policy: Policy, status: str, tz: tzinfo | None) -> datetime | None:
    """None: send now. Else the moment (UTC) the quiet window ends for this shopper. `now` is aware.

    Sent now: quiet hours off, an excepted status, an unknown zone (we do not hold a message on
    a guess), or a time outside the window.
    """
    quiet = policy.quiet_hours
    if not quiet.enabled or status in quiet.except_statuses or tz is None:
        return None
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if quiet.crosses_midnight:
        if quiet.start <= clock:
            ends_on = local.date() + timedelta(days=1)
        elif clock < quiet.end:
            ends_on = local.date()
        else:
            return None
    elif quiet.start <= clock < quiet.end:
        ends_on = local.date()
    else:
        return None
    # fold=0: an end in the autumn's repeated hour is its first occurrence; one in the spring
    # gap is read with the offset before the gap (PEP 495), after the gap.
    return datetime.combine(ends_on, quiet.end, tzinfo=tz).astimezone(UTC)
