"""Pacing that schedules (DESIGN, send decisions, rule 6): WhatsApp messages over the business
number's rate are held for a later slot, never waited for.

A batch asks the shared token bucket (`throttle.take`) once for all its WhatsApp messages. What
it is granted goes now; the rest become `scheduled` with `not_before` at the moment the bucket
will hold their tokens: the bucket answers how long until its next token (`wait`), and one more
comes every 1/rate seconds after it. They are held in slots of a quarter second's worth of
tokens, each slot due when its last token is: a slot's messages come back together in one send
task (`tasks.after_sends`; `release_scheduled_messages` on beat if that task was lost), take
their tokens then, and a burst drains at the rate. The worker never sleeps for a token beyond
MAX_INLINE_WAIT_SECONDS, once, and e-mail and SMS of the same batch never wait at all.

Buckets are per sending number (a brand's own WhatsApp number has its own, the platform's number
another): one merchant's spike never uses another's rate.
"""

from __future__ import annotations

import math
import time

from messaging import throttle
from messaging.channels import channel_of
from messaging.dispatch.recording import Outcome, schedule
from messaging.models import Message

# A token due this soon is worth one short wait (at 1,000/s tokens come every millisecond):
# cheaper than scheduling the message; anything later is scheduled.
MAX_INLINE_WAIT_SECONDS = 0.005
# Messages over the rate are released in slots of this many seconds' worth of tokens.
HELD_SLOT_SECONDS = 0.25


def within_rate(messages: list[Message], *, now, provider_of=None) -> tuple[list[Message], dict[int, Outcome]]:
    """The messages that may go now, and the outcomes of those scheduled for later.

    Each sending number has its own bucket: `provider_of(message)` is the provider that sends it
    (a brand's own WhatsApp number, or the platform's), and the channel keys the bucket by the
    number that provider sends from, so messages of different senders in one batch never share
    one."""
    provider_of = provider_of or (lambda message: None)
    paced: dict[tuple[str, float], list[Message]] = {}
    for message in messages:
        limit = channel_of(message.channel).rate_limit(provider_of(message))
        if limit is not None:
            paced.setdefault(limit, []).append(message)
    outcomes: dict[int, Outcome] = {}
    for (key, rate), rows in paced.items():
        outcomes |= _pace(rows, key=key, rate=rate, now=now)
    return [m for m in messages if m.pk not in outcomes], outcomes


def _pace(rows: list[Message], *, key: str, rate: float, now) -> dict[int, Outcome]:
    granted, wait = throttle.take(key, len(rows), rate, rate)
    if granted < len(rows) and wait <= MAX_INLINE_WAIT_SECONDS:
        time.sleep(wait)
        more, wait = throttle.take(key, len(rows) - granted, rate, rate)
        granted += more
    outcomes: dict[int, Outcome] = {}
    for due_in, held in slots(rows[granted:], wait=wait, rate=rate):
        outcomes |= schedule(held, due_in=due_in, now=now)
    return outcomes


def slots(held: list[Message], *, wait: float, rate: float) -> list[tuple[float, list[Message]]]:
    """(seconds from now, messages) per slot: the k-th held message's token comes `wait + k/rate`
    from now (the bucket's next token, then one every 1/rate), and a slot is due with its last."""
    size = max(1, math.ceil(rate * HELD_SLOT_SECONDS))
    return [(round(wait + (min(start + size, len(held)) - 1) / rate, 3), held[start : start + size])
            for start in range(0, len(held), size)]
