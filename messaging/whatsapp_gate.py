"""May a WhatsApp message use its template now? What Meta says of it (WhatsAppTemplate rows) decides.

- `send`: APPROVED and still UTILITY.
- `hold`: not approved yet (PENDING, IN_APPEAL, or not registered yet: the next sync registers
  it): the message waits (`scheduled`, `template_not_approved`) within its news window.
- `block`: REJECTED, PAUSED, DISABLED..., or re-categorised (MARKETING costs about 2.5x, has
  per-user caps and never reaches US numbers): the brand's fallback channel, else not sent.

Only a business account with template rows is gated: without any (the sandbox, tests, a
development setup without `WHATSAPP_BUSINESS_ACCOUNT_ID`, or before the first sync) sending is
exactly as before. The rows of a business account are read once per minute per process at most
(the cache), so a send batch costs one cache read, not a query per message; every write of a
row (sync, webhook) drops that cache at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from messaging.whatsapp_templates import whatsapp_template_name

SEND, HOLD, BLOCK = "send", "hold", "block"
LIMITED = "limited"  # over the portfolio's messaging limit (whatsapp_reach): the fallback, else held
REASON = "template_not_approved"
WAITING_STATUSES = frozenset({"PENDING", "IN_APPEAL"})
CACHE_SECONDS = 60
# How long a held message waits before it is looked at again (a webhook releases it sooner).
RECHECK_SECONDS = 15 * 60

States = dict[tuple[str, str], tuple[str, str]]  # (name, language) -> (status, category)


def platform_business_account() -> str:
    return getattr(settings, "WHATSAPP_BUSINESS_ACCOUNT_ID", "") or ""


def business_accounts_of(messages) -> dict[int, str]:
    """Brand id -> the business account whose templates its WhatsApp messages are sent with:
    the brand's own number's (messaging.senders), else the platform's. One query a batch."""
    from messaging.models import WhatsAppSender

    brand_ids = {message.brand_id for message in messages}
    own = dict(WhatsAppSender.objects.filter(brand_id__in=brand_ids).values_list("brand_id", "business_account_id"))
    platform = platform_business_account()
    return {brand_id: own.get(brand_id) or platform for brand_id in brand_ids}


def _key(business_account_id: str) -> str:
    return f"whatsapp-templates:{business_account_id}"


def template_states(business_account_id: str) -> States:
    """(status, category) of every template of the business account; {} when it has none."""
    if not business_account_id:
        return {}
    found = cache.get(_key(business_account_id))
    if found is None:
        from messaging.models import WhatsAppTemplate

        found = {
            (name, language): (status, category)
            for name, language, status, category in WhatsAppTemplate.objects.filter(
                business_account_id=business_account_id).values_list("name", "language", "status", "category")
        }
        cache.set(_key(business_account_id), found, CACHE_SECONDS)
    return found


def forget(business_account_id: str) -> None:
    """A row of this business account changed: the next batch reads them again."""
    cache.delete(_key(business_account_id))


def verdict(states: States, name: str, language: str) -> str:
    if not states:
        return SEND  # an ungated business account (see the module docstring)
    status, category = states.get((name, language), ("PENDING", ""))  # not registered yet
    if category and category != "UTILITY":  # Meta names a category in every answer; "" only in a gap
        return BLOCK
    if status == "APPROVED":
        return SEND
    return HOLD if status in WAITING_STATUSES else BLOCK


def verdicts(messages) -> dict[int, str]:
    """Message id -> HOLD or BLOCK for these template messages that may not go now (the rest:
    SEND). One cache read per business account of the batch."""
    states: dict[str, States] = {}
    found: dict[int, str] = {}
    plain_instead: dict[str, list[int]] = {}  # plain template name -> messages that go with it
    accounts = business_accounts_of(messages) if messages else {}
    for message in messages:
        account = accounts[message.brand_id]
        if account not in states:
            states[account] = template_states(account)
        answer = verdict(states[account], message.whatsapp_template, message.whatsapp_language)
        plain = whatsapp_template_name(message.trigger_status)
        if answer != SEND and message.whatsapp_template != plain:
            # A variant is a nicety: while it is not usable the plain template decides, as if there
            # were no variant. The photo variant's picture is then left out (the tracking page still
            # shows it); a fallback brand's short-lived variant's shorter time to live too (Meta may
            # then deliver after the fallback went: both shown, one billed, as before the variants).
            answer = verdict(states[account], plain, message.whatsapp_language)
            if answer == SEND:
                plain_instead.setdefault(plain, []).append(message.pk)
                message.whatsapp_template, message.whatsapp_header_image = plain, ""
        if answer != SEND:
            found[message.pk] = answer
    if plain_instead:
        from messaging.models import Message

        for plain, ids in plain_instead.items():
            Message.objects.filter(pk__in=ids).update(whatsapp_template=plain, whatsapp_header_image="")
    return found


def over_messaging_limit(messages) -> dict[int, str]:
    """Message id -> LIMITED for these template messages whose shopper the portfolio may not reach
    now (messaging.whatsapp_reach): one count per portfolio of the batch."""
    from messaging import whatsapp_reach

    if not messages:
        return {}
    accounts = business_accounts_of(messages)
    limit = int(getattr(settings, "WHATSAPP_MESSAGING_LIMIT", 2000) or 0)
    by_portfolio: dict[str, list] = {}
    for message in messages:
        by_portfolio.setdefault(accounts[message.brand_id] or "platform", []).append(message)
    found = {}
    for portfolio, rows in by_portfolio.items():
        admitted = whatsapp_reach.admit(portfolio, [m.recipient for m in rows], limit=limit)
        found |= {m.pk: LIMITED for m in rows if m.recipient not in admitted}
    return found
