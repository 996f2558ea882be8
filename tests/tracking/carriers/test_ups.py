import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from tracking.carriers import ups
from tracking.carriers.base import TrackingQuery
from tracking.carriers.ups import UpsAdapter, map_status, parse_answer
from tracking.statuses import Status

PAYLOADS = Path(__file__).parent / "payloads"
BASE = "https://onlinetools.ups.com"
TOKEN_URL = f"{BASE}/security/v1/oauth/token"
NUMBER = "1Z023E2X0214323462"
DETAILS_URL = f"{BASE}/api/track/v1/details/{NUMBER}"
NOW = datetime(2024, 3, 14, 12, 0, tzinfo=timezone.utc)


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def query(number: str = NUMBER) -> TrackingQuery:
    return TrackingQuery(number, started_at=NOW, destination_country="NL")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def adapter(clock) -> UpsAdapter:
    return UpsAdapter(client_id="cid", client_secret="secret", clock=clock)


def token(mock, access_token: str = "tok-1") -> None:
    body = {**payload("ups_token.json"), "access_token": access_token}
    mock.post(TOKEN_URL, json=body, match=[matchers.urlencoded_params_matcher({"grant_type": "client_credentials"})])


# --- mapping ---------------------------------------------------------------------------------


def test_manifest_type_maps_to_ready_to_ship():
    assert map_status("M:MP", "Shipper created a label, UPS has not received the package yet.") == \
        Status.READY_TO_SHIP


def test_pickup_type_maps_to_in_transit():
    assert map_status("P:PU", "Pickup Scan") == Status.IN_TRANSIT


def test_sender_drop_off_at_access_point_is_in_transit_not_pickup():
    assert map_status("P:XD", "Dropped off at a UPS Access Point™ location") == Status.IN_TRANSIT


def test_in_transit_type_maps_to_in_transit():
    assert map_status("I:AR", "Arrived at Facility") == Status.IN_TRANSIT


def test_out_for_delivery_text_maps_to_out_for_delivery():
    assert map_status("I:OT", "Out For Delivery Today") == Status.OUT_FOR_DELIVERY


def test_in_transit_delay_text_maps_to_delayed():
    assert map_status("I:WD", "Your delivery has been rescheduled due to weather") == Status.DELAYED


def test_exception_with_receiver_not_available_maps_to_delivery_failed():
    assert map_status("X:48", "The receiver was not available for delivery. We'll make a second attempt.") == \
        Status.DELIVERY_FAILED


def test_other_exception_maps_to_delayed():
    assert map_status("X:7E", "A delivery change for this package is in progress.") == Status.DELAYED


def test_delivered_type_maps_to_delivered():
    assert map_status("D:KB", "DELIVERED") == Status.DELIVERED


def test_delivered_to_access_point_awaiting_pickup_maps_to_ready_for_pickup():
    assert map_status("D:2W", "Delivered to UPS Access Point™ - awaiting customer pickup") == \
        Status.READY_FOR_PICKUP
    assert map_status("I:ZP", "Your package is at the UPS Access Point™ and is awaiting customer pickup") == \
        Status.READY_FOR_PICKUP


def test_returned_to_shipper_maps_to_return_received():
    assert map_status("D:RS", "Returned to shipper") == Status.RETURN_RECEIVED
    assert map_status("RS:RS", "") == Status.RETURN_RECEIVED


def test_returning_to_shipper_maps_to_delayed():
    assert map_status("X:RT", "The package is returning to shipper") == Status.DELAYED


def test_unknown_type_maps_to_none():
    assert map_status("NA:", "") is None
    assert map_status("", "Out For Delivery") is None


# --- parsing ---------------------------------------------------------------------------------


def test_activities_become_events_oldest_first_using_gmt_time_when_given():
    result = parse_answer(NUMBER, payload("ups_out_for_delivery.json"))

    assert [(e.status, e.raw_code) for e in result.events] == [
        (Status.READY_TO_SHIP, "M:MP"), (Status.IN_TRANSIT, "P:PU"),
        (Status.IN_TRANSIT, "I:AR"), (Status.OUT_FOR_DELIVERY, "I:OT"),
    ]
    assert result.events[-1].occurred_at == datetime(2024, 3, 14, 7, 45, tzinfo=timezone.utc)
    assert result.events[-1].location == "Amsterdam, NL"
    assert result.expected_delivery == date(2024, 3, 14)


def test_local_date_and_time_without_gmt_are_taken_as_utc():
    result = parse_answer(NUMBER, payload("ups_out_for_delivery.json"))

    pickup = result.events[1]
    assert pickup.occurred_at == datetime(2024, 3, 12, 17, 15, tzinfo=timezone.utc)
    assert pickup.location == "Köln, DE"
    assert pickup.raw_text == "Pickup Scan"


def test_not_found_warning_in_a_200_answer_gives_not_found():
    with pytest.raises(ups.CarrierError) as info:
        parse_answer(NUMBER, payload("ups_not_found_warning.json"))
    assert info.value.kind == "not_found"
    assert "Tracking Information Not Found" in str(info.value)


# --- token and I/O ---------------------------------------------------------------------------


def test_fetch_gets_a_token_then_tracks_with_bearer_and_transaction_headers(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, json=payload("ups_out_for_delivery.json"), match=[
        matchers.header_matcher({"Authorization": "Bearer tok-1", "transactionSrc": "parcelcast"}),
    ])

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error is None and len(result.events) == 4
    token_request, details_request = (c.request for c in mock.calls)
    assert token_request.headers["Authorization"].startswith("Basic ")
    assert len(details_request.headers["transId"]) == 32
    assert details_request.req_kwargs["timeout"] is not None


def test_token_is_reused_until_it_expires(mock, adapter, clock):
    token(mock, "tok-1")
    mock.get(DETAILS_URL, json=payload("ups_out_for_delivery.json"))

    adapter.fetch([query()], now=NOW)
    adapter.fetch([query()], now=NOW)
    clock.now += 14399
    mock.replace(responses.POST, TOKEN_URL, json={**payload("ups_token.json"), "access_token": "tok-2"})
    adapter.fetch([query()], now=NOW)

    token_calls = [c for c in mock.calls if c.request.url == TOKEN_URL]
    assert len(token_calls) == 2
    assert mock.calls[-1].request.headers["Authorization"] == "Bearer tok-2"


def test_a_401_refreshes_the_token_once_and_retries(mock, adapter):
    token(mock, "tok-old")
    mock.get(DETAILS_URL, status=401, json=payload("ups_unauthorized.json"),
             match=[matchers.header_matcher({"Authorization": "Bearer tok-old"})])
    mock.post(TOKEN_URL, json={**payload("ups_token.json"), "access_token": "tok-new"})
    mock.get(DETAILS_URL, json=payload("ups_out_for_delivery.json"),
             match=[matchers.header_matcher({"Authorization": "Bearer tok-new"})])

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error is None and len(result.events) == 4


def test_a_second_401_gives_auth_error_for_the_whole_batch(mock, adapter):
    mock.post(TOKEN_URL, json=payload("ups_token.json"))
    mock.get(DETAILS_URL, status=401, json=payload("ups_unauthorized.json"))

    results = adapter.fetch([query(), query("1ZOTHER")], now=NOW)

    assert [r.error.kind for r in results] == ["auth", "auth"]
    assert len([c for c in mock.calls if c.request.url.startswith(DETAILS_URL)]) == 2  # first try + one retry


def test_rejected_client_credentials_give_auth_error_without_tracking_calls(mock, adapter):
    mock.post(TOKEN_URL, status=401, json=payload("ups_unauthorized.json"))

    results = adapter.fetch([query(), query("1ZOTHER")], now=NOW)

    assert [r.error.kind for r in results] == ["auth", "auth"]
    assert [r.tracking_number for r in results] == [NUMBER, "1ZOTHER"]


def test_token_endpoint_down_gives_unavailable_for_the_batch(mock, adapter):
    mock.post(TOKEN_URL, body=requests.exceptions.ConnectTimeout())

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "unavailable"


def test_missing_credentials_give_auth_error_without_any_request(mock):
    [result] = UpsAdapter(client_id="", client_secret="").fetch([query()], now=NOW)

    assert result.error.kind == "auth"


def test_404_gives_not_found_and_keeps_the_other_numbers(mock, adapter):
    token(mock)
    mock.get(f"{BASE}/api/track/v1/details/1ZMISSING", status=404, json=payload("ups_invalid_number_400.json"))
    mock.get(DETAILS_URL, json=payload("ups_out_for_delivery.json"))

    missing, found = adapter.fetch([query("1ZMISSING"), query()], now=NOW)

    assert missing.error.kind == "not_found"
    assert found.error is None and found.events


def test_400_for_an_unreadable_inquiry_number_gives_not_found(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, status=400, json=payload("ups_invalid_number_400.json"))

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "not_found"


def test_other_400_gives_bad_response(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, status=400, json={"response": {"errors": [{"code": "9999", "message": "Bad"}]}})

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "bad_response"


def test_429_gives_rate_limited_with_retry_after(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, status=429, headers={"Retry-After": "120"})

    results = adapter.fetch([query(), query("1ZOTHER")], now=NOW)

    assert [(r.error.kind, r.error.retry_after) for r in results] == [("rate_limited", 120)] * 2


def test_500_gives_unavailable(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, status=500)

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "unavailable"


def test_read_timeout_gives_unavailable(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, body=requests.exceptions.ReadTimeout())

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "unavailable"


def test_malformed_json_gives_bad_response(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, body="{not json")

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "bad_response"


def test_unexpected_shape_gives_bad_response(mock, adapter):
    token(mock)
    mock.get(DETAILS_URL, json={"trackResponse": {"shipment": {"package": []}}})

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "bad_response"


def test_token_answer_without_access_token_gives_bad_response(mock, adapter):
    mock.post(TOKEN_URL, json={"status": "approved"})

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "bad_response"


def test_empty_batch_asks_nothing(mock, adapter):
    assert adapter.fetch([], now=NOW) == []
