"""core/parsers.py: the nesting check counts what json.loads would recurse into, nothing else, and
cannot be fooled by brackets or quotes inside strings."""

import json

import pytest

from core.parsers import MAX_JSON_DEPTH, loads_provider_json, nesting_exceeds


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_the_limit_itself_is_allowed_and_one_more_is_not():
    assert not nesting_exceeds(nested(MAX_JSON_DEPTH))
    assert nesting_exceeds(nested(MAX_JSON_DEPTH + 1))
    assert nesting_exceeds(b'{"a": ' * 40 + b"1" + b"}" * 40)


def test_brackets_inside_strings_are_not_nesting():
    text = json.dumps(["[" * 100, {"k{{{{": "]" * 5 + "{" * 100}]).encode()

    assert not nesting_exceeds(text)


def test_brackets_inside_strings_cannot_hide_real_nesting():
    # 40 real levels, with strings whose brackets would "balance" a count that ignored quotes
    text = b"[" * 30 + b'"]]]]]]]]]]",' + b"[" * 10 + b"1" + b"]" * 10 + b',"[[[[[[[[[["' + b"]" * 30
    assert json.loads(text)  # it is valid JSON, 40 deep

    assert nesting_exceeds(text)


def test_escaped_quotes_and_backslashes_do_not_end_a_string_early():
    assert not nesting_exceeds(json.dumps(['a \\" [[[[' * 20, '\\\\', '"' + "[" * 50]).encode())
    assert nesting_exceeds(b'["\\\\",' + nested(40) + b"]")  # the string ends after its escaped backslash


def test_text_that_is_not_json_is_judged_as_json_would_read_it():
    # an unterminated string: json stops there, before any of the brackets
    assert not nesting_exceeds(b'"' + b"[" * 100_000)
    # the same brackets before the string: json would recurse into them
    assert nesting_exceeds(b"[" * 100_000 + b'"')


def test_multibyte_text_is_read_byte_for_byte():
    assert not nesting_exceeds(json.dumps(["é€😀" * 50, "[" * 50], ensure_ascii=False).encode())


def test_a_provider_body_loses_its_nul_characters():
    assert loads_provider_json(b'{"t\\u0000x": ["a\\u0000b", {"c": "\\u0000"}]}') == {"tx": ["ab", {"c": ""}]}


@pytest.mark.parametrize("body", [nested(33), nested(5000), "[1]".encode("utf-16"), b"\xff[]"])
def test_a_provider_body_too_deep_or_not_utf8_is_refused(body):
    with pytest.raises(ValueError):
        loads_provider_json(body)
