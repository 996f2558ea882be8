"""The audit log: who changed what in an account.

- `Actor(user=None, api_key=None, label="")`: who acts. `actor_for_request(request)` builds it for
  an API call (the key) or a panel request (the member); services take it as `actor=`.
- `audit_record(account=..., action=..., actor=...)`: one AuditEvent. Called by the services that
  change settings, consent, plans, API keys, templates and invoices, inside their transaction
  (the event commits with the change or not at all).
- A service called without `actor` (the panel's views, commands) falls back to the request being
  served, which `AuditContextMiddleware` makes known; outside a request the actor is "system".
"""

from __future__ import annotations

import contextvars
import ipaddress
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from brands.models import Account, ApiKey, AuditEvent
from core.ratelimit import client_ip

_current_request: contextvars.ContextVar = contextvars.ContextVar("parcelcast_audit_request", default=None)


@dataclass(frozen=True)
class Actor:
    user: Any = None
    api_key: ApiKey | None = None
    label: str = ""
    ip: str | None = None

    @property
    def display(self) -> str:
        if self.label:
            return self.label
        if self.api_key is not None:
            return f"API key {ApiKey.PREFIX}_{self.api_key.prefix}"
        if self.user is not None:
            return getattr(self.user, "email", "") or self.user.get_username()
        return "system"


SYSTEM = Actor(label="system")


def actor_for_request(request) -> Actor:
    """The member or API key acting in `request` (a DRF or a plain Django request)."""
    ip = _valid_ip(client_ip(request))
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        return Actor(api_key=auth, ip=ip)
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None) is not None:
        return Actor(user=user, ip=ip)
    return Actor(label="anonymous", ip=ip)


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def current_actor() -> Actor:
    request = _current_request.get()
    return actor_for_request(request) if request is not None else SYSTEM


def _json(value: Any) -> Any:
    """Details as plain JSON (dates, decimals and countries become strings)."""
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def audit_record(
    *, account: Account, action: str, actor: Actor | None = None, object_type: str = "", object_id: Any = "",
    before: Any = None, after: Any = None, **details: Any,
) -> AuditEvent:
    actor = actor or current_actor()
    payload = dict(details)
    if before is not None:
        payload["before"] = before
    if after is not None:
        payload["after"] = after
    user = actor.user if getattr(actor.user, "pk", None) is not None else None
    return AuditEvent.objects.create(
        account=account,
        actor_label=actor.display[:254],
        user=user,
        api_key=actor.api_key,
        action=action,
        object_type=object_type,
        object_id=str(object_id or "")[:64],
        details=_json(payload),
        ip=actor.ip,
    )


class AuditContextMiddleware:
    """Makes the request being served known to audit_record (for services called without actor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
