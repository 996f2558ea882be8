import base64
import hashlib
import hmac
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from tracking.carriers.aftership import AfterShipAdapter, map_status, parse_tracking
from tracking.carriers.base import TrackingQuery, WebhookRejected
from tracking.statuses import Status

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "whsec-test"
URL = "https://api.aftership.com/tracking/2024-10/trackings"
NOW = datetime(2024, 7, 2, 18, 0, tzinfo=timezone.utc)


def raw(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def query(number: str) -> TrackingQuery:
    return TrackingQuery(number, started_at=NOW)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def adapter() -> AfterShipAdapter:
    return AfterShipAdapter(api_key="as-key", webhook_secret=SECRET)


# --- mapping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "expected"), [
    ("Pending", Status.READY_TO_SHIP),
    ("InfoReceived", Status.READY_TO_SHIP),
    ("InTransit", Status.IN_TRANSIT),
    ("OutForDelivery", Status.OUT_FOR_DELIVERY),
    ("AttemptFail", Status.DELIVERY_FAILED),
    ("Delivered", Status.DELIVERED),
    ("AvailableForPickup", Status.READY_FOR_PICKUP),
    ("Exception", Status.DELAYED),
    ("Expired", Status.DELAYED),
])
def test_every_aftership_tag_maps_to_its_status(tag, expected):
    assert map_status(tag, "") == expected
    assert map_status(f"{tag}_001", "") == expected  # subtags fall back to their tag


def test_returned_to_sender_subtag_maps_to_return_received():
    assert map_status("Exception_011", "Returned to sender") == Status.RETURN_RECEIVED


def test_returning_to_sender_subtag_stays_delayed():
    assert map_status("Exception_010", "Returning to sender") == Status.DELAYED


def test_unknown_tag_maps_to_none():
    assert map_status("Teleported_001", "") is None
    assert map_status("", "") is None


# --- webhook ---------------------------------------------------------------------------------


def test_signed_webhook_gives_checkpoints_as_events_oldest_first(adapter):
    body = raw("aftership_webhook_tracking_update.json")

    events = adapter.parse_webhook(body, {"aftership-hmac-sha256": sign(body)})

    assert [e.status for e in events] == [Status.READY_TO_SHIP, Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY]
    latest = events[-1]
    assert latest.tracking_number == "CP123456789DE"
    assert latest.occurred_at == datetime(2024, 6, 4, 6, 5, tzinfo=timezone.utc)
    assert latest.raw_code == "OutForDelivery_001"
    assert latest.raw_text == "The shipment has been loaded onto the delivery vehicle"
    assert latest.location == "Hamburg, Germany"


def test_checkpoint_without_location_text_builds_one_from_city_and_country(adapter):
    body = raw("aftership_webhook_tracking_update.json")

    events = adapter.parse_webhook(body, {"aftership-hmac-sha256": sign(body)})

    assert events[1].location == "Hamburg, DEU"
    assert events[0].location == ""


def test_signature_header_is_found_whatever_its_case(adapter):
    body = raw("aftership_webhook_tracking_update.json")

    assert adapter.parse_webhook(body, {"Aftership-Hmac-Sha256": sign(body)})


def test_replayed_webhook_gives_the_same_external_ids(adapter):
    body = raw("aftership_webhook_tracking_update.json")
    headers = {"aftership-hmac-sha256": sign(body)}

    first = adapter.parse_webhook(body, headers)
    second = adapter.parse_webhook(body, headers)

    assert [e.external_id for e in first] == [e.external_id for e in second]


def test_bad_signature_is_rejected(adapter):
    body = raw("aftership_webhook_tracking_update.json")

    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(body, {"aftership-hmac-sha256": sign(body, "another-secret")})


def test_tampered_body_is_rejected(adapter):
    body = raw("aftership_webhook_tracking_update.json")
    signature = sign(body)

    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(body.replace(b"CP123456789DE", b"CP999999999DE"), {"aftership-hmac-sha256": signature})


def test_missing_signature_is_rejected(adapter):
    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(raw("aftership_webhook_tracking_update.json"), {})


def test_webhook_is_rejected_when_no_secret_is_configured():
    body = raw("aftership_webhook_tracking_update.json")

    with pytest.raises(WebhookRejected, match="not configured"):
        AfterShipAdapter(api_key="k", webhook_secret="").parse_webhook(body, {"aftership-hmac-sha256": sign(body, "")})


def test_signed_but_malformed_json_is_rejected(adapter):
    body = b"{not json"

    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(body, {"aftership-hmac-sha256": sign(body)})


def test_signed_payload_without_msg_is_rejected(adapter):
    body = json.dumps({"event": "tracking_update", "ts": 1}).encode()

    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(body, {"aftership-hmac-sha256": sign(body)})


# --- fetch -----------------------------------------------------------------------------------


def test_tracking_object_gives_expected_delivery():
    tracking = json.loads(raw("aftership_trackings.json"))["data"]["trackings"][0]

    assert parse_tracking(tracking).expected_delivery == date(2024, 7, 2)


def test_fetch_asks_one_batch_and_answers_in_query_order(mock, adapter):
    mock.get(URL, json=json.loads(raw("aftership_trackings.json")), match=[
        matchers.query_param_matcher({"tracking_numbers": "UNKNOWN1,9400111899223100000000"}),
        matchers.header_matcher({"as-api-key": "as-key"}),
    ])

    unknown, found = adapter.fetch([query("UNKNOWN1"), query("9400111899223100000000")], now=NOW)

    assert unknown.error.kind == "not_found"
    assert [e.status for e in found.events] == [Status.OUT_FOR_DELIVERY, Status.DELIVERED]
    assert found.events[-1].occurred_at == datetime(2024, 7, 2, 17, 31, tzinfo=timezone.utc)
    assert mock.calls[0].request.req_kwargs["timeout"] is not None


def test_fetch_401_gives_auth_for_every_number(mock, adapter):
    mock.get(URL, status=401, json=json.loads(raw("aftership_unauthorized.json")))

    results = adapter.fetch([query("A"), query("B")], now=NOW)

    assert [r.error.kind for r in results] == ["auth", "auth"]
    assert "Invalid API key" in str(results[0].error)


def test_fetch_429_reads_the_rate_limit_reset_time(mock, adapter):
    reset = int(NOW.timestamp()) + 45
    mock.get(URL, status=429, headers={"X-RateLimit-Reset": str(reset)})

    [result] = adapter.fetch([query("A")], now=NOW)

    assert (result.error.kind, result.error.retry_after) == ("rate_limited", 45)


def test_fetch_429_prefers_retry_after(mock, adapter):
    mock.get(URL, status=429, headers={"Retry-After": "7", "X-RateLimit-Reset": "1"})

    [result] = adapter.fetch([query("A")], now=NOW)

    assert result.error.retry_after == 7


def test_fetch_500_gives_unavailable(mock, adapter):
    mock.get(URL, status=502)

    [result] = adapter.fetch([query("A")], now=NOW)

    assert result.error.kind == "unavailable"


def test_fetch_timeout_gives_unavailable(mock, adapter):
    mock.get(URL, body=requests.exceptions.ReadTimeout())

    [result] = adapter.fetch([query("A")], now=NOW)

    assert result.error.kind == "unavailable"


def test_fetch_malformed_json_gives_bad_response(mock, adapter):
    mock.get(URL, body="oops")

    [result] = adapter.fetch([query("A")], now=NOW)

    assert result.error.kind == "bad_response"


def test_fetch_unexpected_shape_gives_bad_response(mock, adapter):
    mock.get(URL, json={"meta": {"code": 200}, "data": {"tracking": {}}})

    [result] = adapter.fetch([query("A")], now=NOW)

    assert result.error.kind == "bad_response"


def test_fetch_without_api_key_gives_auth_without_any_request(mock):
    [result] = AfterShipAdapter(webhook_secret=SECRET).fetch([query("A")], now=NOW)

    assert result.error.kind == "auth"


def test_aftership_pushes_and_is_not_polled(adapter):
    assert adapter.pushes and not adapter.polled
