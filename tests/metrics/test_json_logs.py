"""LOG_FORMAT=json: one JSON object per record, with phone numbers and e-mail addresses masked
in the message, the traceback and extra fields alike."""

import io
import json
import logging

import pytest

from tests.test_settings import PRODUCTION_ENV, manage, python


def json_logger(stream) -> logging.Logger:
    """A logger configured as settings.LOGGING configures the console with LOG_FORMAT=json."""
    from core.logging_filters import MaskPersonalData
    from core.logging_json import MaskedJsonFormatter

    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalData())
    handler.setFormatter(
        MaskedJsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"})
    )
    logger = logging.getLogger("tests.metrics.json")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    return logger


def test_a_phone_number_is_masked_in_json_logs():
    stream = io.StringIO()

    json_logger(stream).info("message 7 sent to %s", "+31612345678")

    line = json.loads(stream.getvalue())
    assert line["message"] == "message 7 sent to +31***78"
    assert line["level"] == "INFO" and line["name"] == "tests.metrics.json"
    assert "31612345678" not in stream.getvalue()


def test_tracebacks_and_extra_fields_are_masked_too():
    stream = io.StringIO()
    phone = "+316" + "12345678"  # not in the source line the traceback quotes
    try:
        raise ValueError(f"bad number\n{phone} for sanne@example.com")
    except ValueError:
        json_logger(stream).exception("failed", extra={"recipient": "+31612345678", "wa": {"wa_id": "31612345678"}})

    output = stream.getvalue()
    assert "31612345678" not in output and "sanne@example.com" not in output
    assert "+31***78" in json.loads(output)["exc_info"]


def test_log_format_json_is_what_the_settings_configure():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('parcelcast.test').warning('calling %s', '+31612345678')"
    )
    result = python("-c", code, **PRODUCTION_ENV, LOG_FORMAT="json")

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "calling +31***78" and line["level"] == "WARNING"


@pytest.mark.parametrize("value", ["JSONL", "yaml"])
def test_an_unknown_log_format_stops_start_up(value):
    result = manage("check", **{**PRODUCTION_ENV, "LOG_FORMAT": value})

    assert result.returncode != 0 and "LOG_FORMAT" in result.stderr
