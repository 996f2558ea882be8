"""JSON from outside, read safely: the API's parser and the loader of provider webhooks.

Two things Python's json cannot be trusted with:
- Nesting. `json.loads` recurses once per level: a 1,000-deep body raises RecursionError (a 500),
  and a body just under that limit makes every later recursive walk (serializers, JSONField,
  audit snapshots) a 500 waiting to happen. Nothing we take nests anywhere near
  MAX_JSON_DEPTH, so deeper bodies are refused before any object is built.
- NUL. A JSON string may carry `\\u0000`, which PostgreSQL cannot store in a text column. The API
  refuses it with a 400 naming the field; a provider's webhook has it stripped (the provider
  will not change what it sends, and refusing would make it redeliver for days).

The request size limit (core.middleware) bounds the text, and the depth check is linear and runs in
C: about as long as json.loads itself for a 1,000-event bulk call, and nothing for a body with a
few brackets.
"""

from __future__ import annotations

import json
import re
from array import array
from itertools import accumulate
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.utils.json import strict_constant

MAX_JSON_DEPTH = 32
NUL_MESSAGE = "Null characters are not allowed."
NUL_CODE = "null_characters_not_allowed"  # DRF's own code for the same refusal by a CharField

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and, as a signed byte, -1
_ESCAPE = re.compile(rb"\\.", re.DOTALL)


def nesting_exceeds(text: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text (UTF-8) nests deeper than `limit`, counting brackets outside strings.

    With its escapes taken out, every quote of the text opens or closes a string, so what lies
    outside strings is every other piece between quotes; the depth is then the highest running
    sum of +1 per opening and -1 per closing bracket, computed in C. Text that is not JSON is read
    the way json.loads reads it up to its first error, so json never recurses deeper than this
    says; the error itself is left for json to name."""
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    outside = b"".join(_ESCAPE.sub(b"", text).split(b'"')[::2])
    steps = array("b", outside.translate(_STEPS, _NOT_BRACKETS))
    return max(accumulate(steps), default=0) > limit


def _nul_errors(value: Any) -> Any:
    """Where NUL characters are, in DRF's nested error shape ({"items": {"3": {"name": [...]}}});
    None when there are none. Only called on data already known to nest at most MAX_JSON_DEPTH."""
    if isinstance(value, str):
        return [NUL_MESSAGE] if "\x00" in value else None
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            error = [NUL_MESSAGE] if "\x00" in key else _nul_errors(item)
            if error:
                found[key.replace("\x00", "")] = error
        return found or None
    if isinstance(value, list):
        return {str(index): error for index, item in enumerate(value) if (error := _nul_errors(item))} or None
    return None


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key.replace("\x00", ""): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def loads_provider_json(body: bytes) -> Any:
    """A provider's JSON webhook body: ValueError when it is not UTF-8 JSON (what providers send;
    json would also guess UTF-16, whose bytes the depth check cannot read) or nests too deeply.
    NUL characters are stripped from every string and key."""
    text = body.decode("utf-8")
    if nesting_exceeds(body):
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    data = json.loads(text)
    return _without_nul(data) if b"\\u0000" in body else data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing too deep a body (400 `detail`) and NUL characters (400 naming
    each field that holds one, even inside lists and objects that no serializer field checks)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        utf8 = raw if encoding.lower().replace("-", "") == "utf8" else text.encode("utf-8", "surrogatepass")
        if nesting_exceeds(utf8):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.", code="too_deep")
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if b"\\u0000" in utf8 and (errors := _nul_errors(data)):
            raise ValidationError(errors if isinstance(errors, dict) else {"non_field_errors": errors},
                                  code=NUL_CODE)
        return data
