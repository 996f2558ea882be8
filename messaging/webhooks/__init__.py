"""Provider webhooks in: signature checks and pure payload parsing (no database, no views).

Both WhatsApp and Twilio parse into the same two shapes below, so the code that applies them
to Message rows and opt-outs is channel-agnostic. Deliveries are retried by the providers
(Meta for up to 7 days) and statuses arrive out of order: whoever applies a `StatusUpdate`
must be idempotent and never move a message backwards (see `STATE_RANK`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

# Progress order of the non-failure states; "failed" is terminal and handled apart.
STATE_RANK: dict[str, int] = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}


@dataclass(frozen=True)
class Pricing:
    """Meta's word on what a delivered template costs (status webhooks' `pricing`): the ledger our
    charges are reconciled against (billing.reconciliation)."""

    billable: bool | None
    pricing_model: str = ""  # "PMP" (per message) since July 2025; "CBP" before
    category: str = ""  # "utility" | "marketing" | "authentication" | "service" ... (lower case)
    type: str = ""  # "regular" | "free_customer_service" | "free_entry_point"


@dataclass(frozen=True)
class StatusUpdate:
    provider_message_id: str
    state: str  # "sent" | "delivered" | "read" | "failed" ("queued" only from Twilio)
    at: datetime  # aware, UTC
    recipient: str  # "+<digits>"; "" when Meta shows only the business-scoped user id
    callback_data: str = ""  # WhatsApp biz_opaque_callback_data: our message id
    error_code: str = ""
    error_title: str = ""
    billable: bool | None = None
    recipient_user_id: str = ""  # Meta's business-scoped user id ("US.1349..."), when it comes
    pricing: Pricing | None = None


@dataclass(frozen=True)
class InboundText:
    sender: str  # "+<digits>"; "" when the shopper shows only a business-scoped user id
    text: str
    provider_message_id: str
    at: datetime  # aware, UTC
    phone_number_id: str  # which of our numbers received it (WhatsApp number id, or Twilio `To`)
    sender_user_id: str = ""  # WhatsApp's business-scoped user id, beside or instead of the number
    # What a tap carries besides its label: a quick reply's `payload`, an interactive reply's `id`.
    payload: str = ""


# Meta's business-scoped user ids: a country code, a dot, digits ("US.13491208655302741918").
USER_ID = re.compile(r"[A-Z]{2}\.[0-9A-Za-z]{4,60}")


def is_user_id(value: str) -> bool:
    return bool(USER_ID.fullmatch((value or "").strip()))


def plus_digits(value: str) -> str:
    """'31612345678', '+31 6 1234 5678' or 'whatsapp:+316...' -> '+31612345678' ('' if no digits)."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return f"+{digits}" if digits else ""
