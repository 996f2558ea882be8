"""WhatsApp template management (Meta Graph API): list and create a business account's templates.

`GET {base}/{waba}/message_templates?fields=...&limit=100`, followed through `paging.next`, and
`POST {base}/{waba}/message_templates` with a registration body (messaging.whatsapp_registration).
Management calls are limited to about 200 an hour per business account, so callers list once and
create only what is missing. Pure parsing (`parse_template`, `classify_management_error`) and a
thin I/O class on the shared session (core.http), like the send provider next door.

Errors, one meaning each (`ManagementError.kind`):
- `auth`: the token is wrong, expired or lacks `whatsapp_business_management` (190, 10, 200-299,
  401/403 without a Graph error): an operator must act; stop.
- `rate_limited`: the business account's management budget is spent (4, 80008, 613, HTTP 429):
  stop calling until later; nothing is wrong with the templates.
- `duplicate`: a template of that name and language exists already (subcode 2388024): not an
  error for a sync, which then records what the next list says.
- `invalid`: Meta refuses this template (other 100/400s): that one is reported, the rest go on.
- `transient`: Meta's side (5xx, codes 1/2) or the network: try again at the next sync.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import requests

from core.http import DEFAULT_TIMEOUT, http

from .base import int_or_none
from .whatsapp import DEFAULT_BASE_URL

FIELDS = ("id", "name", "language", "status", "category", "quality_score", "rejected_reason", "components",
          "message_send_ttl_seconds")
PAGE_SIZE = 100
MAX_PAGES = 50  # 5,000 templates: a business account may hold 250 (6,000 when verified); never loop forever

AUTH_CODES = frozenset({190, 10, 102})
RATE_CODES = frozenset({4, 17, 32, 613, 80008})
TRANSIENT_CODES = frozenset({1, 2})
DUPLICATE_SUBCODES = frozenset({2388024, 2388023})  # "content in this language already exists", "being deleted"


class ManagementError(Exception):
    def __init__(self, message: str, *, kind: str, code: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code

    @property
    def stops_sync(self) -> bool:
        """No further call of this sync can succeed (credentials, budget)."""
        return self.kind in ("auth", "rate_limited")


# --- pure --------------------------------------------------------------------------------------


def classify_management_error(http_status: int, body: object) -> ManagementError:
    error = body.get("error") if isinstance(body, Mapping) else None
    error = error if isinstance(error, Mapping) else {}
    code, subcode = int_or_none(error.get("code")), int_or_none(error.get("error_subcode"))
    text = f"Meta HTTP {http_status}" + (f" error {code}" if code is not None else "")
    detail = error.get("error_user_msg") or error.get("message")
    if detail:
        text += f": {str(detail)[:300]}"
    label = str(code) if code is not None else f"http_{http_status}"
    if subcode in DUPLICATE_SUBCODES:
        return ManagementError(text, kind="duplicate", code=f"{label}/{subcode}")
    if code in AUTH_CODES or (code is not None and 200 <= code <= 299) or (code is None and http_status in (401, 403)):
        return ManagementError(text, kind="auth", code=label)
    if code in RATE_CODES or http_status == 429:
        return ManagementError(text, kind="rate_limited", code=label)
    if code in TRANSIENT_CODES or http_status >= 500:
        return ManagementError(text, kind="transient", code=label)
    return ManagementError(text, kind="invalid", code=label)


def parse_template(item: object) -> dict[str, Any] | None:
    """One template of the list, with the fields we keep; None for an item without a name or
    language (skipped, never fatal)."""
    if not isinstance(item, Mapping) or not item.get("name") or not item.get("language"):
        return None
    quality = item.get("quality_score")
    score = quality.get("score") if isinstance(quality, Mapping) else quality
    reason = item.get("rejected_reason")
    ttl = int_or_none(item.get("message_send_ttl_seconds"))
    return {
        "meta_id": str(item.get("id") or ""),
        "name": str(item["name"]),
        "language": str(item["language"]),
        "status": str(item.get("status") or "PENDING").upper(),
        "category": str(item.get("category") or "").upper(),
        "quality": str(score or "UNKNOWN").upper(),
        "rejection_reason": "" if reason in (None, "NONE") else str(reason)[:255],
        "components": item.get("components") if isinstance(item.get("components"), list) else None,
        "message_send_ttl_seconds": ttl if ttl is not None and ttl > 0 else None,
    }


# --- thin I/O ----------------------------------------------------------------------------------


class TemplateManagementClient:
    def __init__(self, *, business_account_id: str, access_token: str, base_url: str = "") -> None:
        self.business_account_id = business_account_id
        self.access_token = access_token
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.calls = 0  # management calls made: the budget is about 200 an hour

    @property
    def url(self) -> str:
        return f"{self.base_url}/{self.business_account_id}/message_templates"

    def list_templates(self) -> Iterator[dict[str, Any]]:
        """Every template of the business account, page after page (`paging.next`)."""
        url: str | None = self.url
        params: dict[str, Any] | None = {"fields": ",".join(FIELDS), "limit": PAGE_SIZE}
        for _ in range(MAX_PAGES):
            if not url:
                return
            body = self._call("GET", url, params=params)
            for item in body.get("data") or []:
                parsed = parse_template(item)
                if parsed is not None:
                    yield parsed
            paging = body.get("paging")
            url = paging.get("next") if isinstance(paging, Mapping) else None
            params = None  # `next` carries the query (with its cursor) itself

    def create_template(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Register one template: Meta answers `{"id", "status", "category"}`."""
        return self._call("POST", self.url, json=dict(payload))

    def _call(self, method: str, url: str, **kwargs) -> dict[str, Any]:
        self.calls += 1
        try:
            response = http().request(method, url, timeout=DEFAULT_TIMEOUT, allow_redirects=False,
                                      headers={"Authorization": f"Bearer {self.access_token}"}, **kwargs)
        except requests.RequestException as exc:
            raise ManagementError(f"Meta unreachable: {type(exc).__name__}: {exc}", kind="transient",
                                  code="network") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if not 200 <= response.status_code < 300:
            raise classify_management_error(response.status_code, body)
        if not isinstance(body, dict):
            raise ManagementError(f"Meta answered {response.status_code} without a JSON object", kind="transient",
                                  code="bad_response")
        return body
