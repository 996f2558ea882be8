"""Gates a channel puts before its provider (`MessageChannel.gate`): today WhatsApp's template
check (messaging.whatsapp_gate). Run by the sender on the messages it holds, before pacing, so a
message that may not go takes no token.

- hold: `scheduled` with `template_not_approved` until `RECHECK_SECONDS` later (an approval
  webhook makes it due at once), then the sender looks again. Never past its news window
  (counted from when it was planned): a message whose window has closed is `suppressed` as
  `stale_event`, like any event that is no longer news.
- block: the brand's fallback channel replaces it (dispatch/fallback.py; the WhatsApp message is
  `expired`, never billed); without one it is `suppressed` with `template_not_approved`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, Value
from django.db.models.functions import Greatest

from messaging import news, whatsapp_gate
from messaging.channels import channel_of
from messaging.dispatch import fallback
from messaging.dispatch.recording import Outcome, finish
from messaging.models import Message, MessageState

REASON = whatsapp_gate.REASON
TEXT = news.REASONS[REASON]
LIMIT_REASON = "messaging_limit"
LIMIT_TEXT = news.REASONS[LIMIT_REASON]


def apply_gates(messages: list[Message], *, now: datetime) -> dict[int, Outcome]:
    """Outcomes of the messages a gate stops (held, replaced or suppressed); the others go on."""
    by_channel: dict[str, list[Message]] = {}
    for message in messages:
        by_channel.setdefault(message.channel, []).append(message)
    verdicts: dict[int, str] = {}
    for code, rows in by_channel.items():
        verdicts |= channel_of(code).gate(rows)
    if not verdicts:
        return {}
    held = [m for m in messages if verdicts.get(m.pk) == whatsapp_gate.HOLD]
    blocked = [m for m in messages if verdicts.get(m.pk) == whatsapp_gate.BLOCK]
    limited = [m for m in messages if verdicts.get(m.pk) == whatsapp_gate.LIMITED]
    return _hold(held, now=now) | _block(blocked, now=now) | _limited(limited, now=now)


def _limited(messages: list[Message], *, now: datetime) -> dict[int, Outcome]:
    """Over the portfolio's messaging limit: the brand's fallback reaches the shopper now; without
    one the message waits for room (re-checked like a pending template, within its news window)."""
    if not messages:
        return {}
    replaced = fallback.replace([m.pk for m in messages], from_states=[MessageState.QUEUED], code=LIMIT_REASON,
                                text=LIMIT_TEXT, failed_at=now)
    outcomes = {m.pk: Outcome(state=MessageState.EXPIRED, channel=m.channel) for m in messages if m.pk in replaced}
    return outcomes | _hold([m for m in messages if m.pk not in replaced], now=now, reason=LIMIT_REASON)


def _hold(messages: list[Message], *, now: datetime, reason: str = REASON) -> dict[int, Outcome]:
    if not messages:
        return {}
    planned = dict(Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("pk", "created_at"))
    stale, waiting = [], {}
    for message in messages:
        deadline = planned[message.pk] + news.news_window(message.trigger_status)
        if deadline <= now:
            stale.append(message)
        else:
            waiting[message.pk] = min(now + timedelta(seconds=whatsapp_gate.RECHECK_SECONDS), deadline)
    outcomes = finish(stale, MessageState.SUPPRESSED, "stale_event", news.REASONS["stale_event"], now=now)
    for not_before in set(waiting.values()):
        ids = [pk for pk, due in waiting.items() if due == not_before]
        # The claim's attempt is given back: waiting for Meta is not a try.
        Message.objects.filter(pk__in=ids, state=MessageState.QUEUED).update(
            state=MessageState.SCHEDULED, not_before=not_before, claimed_until=None, error_code=reason,
            error_message=news.REASONS[reason], attempts=Greatest(F("attempts") - 1, Value(0)),
        )
    # No send task of their own (minutes away: a countdown that long would sit in the broker):
    # `release_scheduled_messages` sends them when due.
    outcomes |= {m.pk: Outcome(state=MessageState.SCHEDULED, channel=m.channel) for m in messages if m.pk in waiting}
    return outcomes


def _block(messages: list[Message], *, now: datetime) -> dict[int, Outcome]:
    if not messages:
        return {}
    replaced = fallback.replace([m.pk for m in messages], from_states=[MessageState.QUEUED], code=REASON, text=TEXT,
                                failed_at=now)
    outcomes = {pk: Outcome(state=MessageState.EXPIRED, channel=m.channel)
                for m in messages if (pk := m.pk) in replaced}
    outcomes |= finish([m for m in messages if m.pk not in replaced], MessageState.SUPPRESSED, REASON, TEXT, now=now)
    return outcomes
