"""JSON log lines (LOG_FORMAT=json) that keep personal data masked.

python-json-logger's formatter does the JSON. The masking filter (core/logging_filters.py) has
already masked the message and the traceback text by the time a record reaches it, but the JSON
formatter formats the traceback again from `exc_info` and adds a record's `extra` fields, which
the filter never sees. So the masks run twice more here: over every string going into the JSON
object (as written, before JSON escapes a newline into `\\n`), then over the JSON text, where a
number under a person's key (`"wa_id": "31612345678"`) is recognised as in any logged dict. The
masks only put digits, `*`, `+` and `@` where the originals were: the text stays valid JSON.
"""

from __future__ import annotations

from typing import Any

from pythonjsonlogger.json import JsonFormatter

from core.logging_filters import mask_personal_data


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


class MaskedJsonFormatter(JsonFormatter):
    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return _masked(super().process_log_record(log_data))

    def jsonify_log_record(self, log_data: dict[str, Any]) -> str:
        return mask_personal_data(super().jsonify_log_record(log_data))
