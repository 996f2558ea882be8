import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import requests
import responses

from tracking.carriers import dhl
from tracking.carriers.base import TrackingQuery
from tracking.carriers.dhl import DhlAdapter, map_status, parse_answer
from tracking.statuses import Status

PAYLOADS = Path(__file__).parent / "payloads"
URL = "https://api-eu.dhl.com/track/shipments"
NOW = datetime(2024, 3, 12, 12, 0, tzinfo=timezone.utc)


def payload(name: str) -> dict:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def query(number: str = "00340434161094015902", postal_code: str = "") -> TrackingQuery:
    return TrackingQuery(number, started_at=NOW, destination_country="DE", postal_code=postal_code)


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


@pytest.fixture
def adapter() -> DhlAdapter:
    return DhlAdapter(api_key="test-key")


# --- mapping ---------------------------------------------------------------------------------


def test_out_for_delivery_text_maps_to_out_for_delivery():
    assert map_status("transit", "In delivery - The shipment has been loaded onto the delivery vehicle") == \
        Status.OUT_FOR_DELIVERY
    assert map_status("transit", "The shipment is out for delivery") == Status.OUT_FOR_DELIVERY


def test_with_delivery_courier_text_maps_to_out_for_delivery():
    assert map_status("transit", "With delivery courier") == Status.OUT_FOR_DELIVERY


def test_ready_for_pickup_at_parcel_shop_maps_to_ready_for_pickup():
    assert map_status("transit", "The shipment is ready for pick-up at the PACKSTATION") == Status.READY_FOR_PICKUP
    assert map_status("transit", "Delivered to the DHL ServicePoint") == Status.READY_FOR_PICKUP
    assert map_status("transit", "The shipment has been delivered to the parcel shop") == Status.READY_FOR_PICKUP


def test_delivered_code_into_a_locker_for_pickup_is_ready_for_pickup_not_delivered():
    assert map_status("delivered", "Delivered to the retail outlet for pick-up") == Status.READY_FOR_PICKUP


def test_delivered_code_after_collection_from_packstation_is_delivered():
    assert map_status("delivered", "The recipient has picked up the shipment from the PACKSTATION") == \
        Status.DELIVERED


def test_sender_drop_off_at_packstation_is_in_transit_not_pickup():
    assert map_status("transit", "The shipment has been posted by the sender at the PACKSTATION") == \
        Status.IN_TRANSIT


def test_recipient_not_at_home_maps_to_delivery_failed():
    assert map_status("transit", "Recipient not at home - a notification card was left") == \
        Status.DELIVERY_FAILED


def test_failure_code_with_could_not_be_delivered_maps_to_delivery_failed():
    assert map_status("failure", "The shipment could not be delivered") == Status.DELIVERY_FAILED


def test_failure_code_without_attempt_text_maps_to_delayed():
    assert map_status("failure", "Shipment on hold") == Status.DELAYED
    assert map_status("failure", "") == Status.DELAYED


def test_delay_or_exception_text_maps_to_delayed():
    assert map_status("transit", "Delay due to weather conditions") == Status.DELAYED
    assert map_status("transit", "Delay in delivery") == Status.DELAYED
    assert map_status("transit", "Clearance exception") == Status.DELAYED


def test_pre_transit_code_maps_to_ready_to_ship():
    assert map_status("pre-transit", "The instruction data for this shipment have been provided by the sender") == \
        Status.READY_TO_SHIP


def test_plain_transit_code_maps_to_in_transit():
    assert map_status("transit", "The shipment has been processed in the parcel center") == Status.IN_TRANSIT


def test_delivered_code_maps_to_delivered():
    assert map_status("delivered", "The shipment has been delivered") == Status.DELIVERED


def test_returned_to_sender_maps_to_return_received():
    assert map_status("delivered", "The shipment has been returned to sender") == Status.RETURN_RECEIVED


def test_on_its_way_back_to_sender_maps_to_delayed_not_return_received():
    assert map_status("failure", "The shipment will be returned to sender") == Status.DELAYED


def test_return_label_text_maps_to_return_label_created():
    assert map_status("pre-transit", "Return label created") == Status.RETURN_LABEL_CREATED


def test_return_posted_text_maps_to_return_dropped_off():
    assert map_status("transit", "The return has been posted at the retail outlet") == Status.RETURN_DROPPED_OFF


def test_unknown_code_without_useful_text_maps_to_none():
    assert map_status("unknown", "") is None
    assert map_status("", "Something the carrier invented") is None


def test_unknown_code_with_detail_text_uses_the_text():
    assert map_status("unknown", "Out for delivery") == Status.OUT_FOR_DELIVERY


# --- parsing ---------------------------------------------------------------------------------


def test_answer_becomes_events_oldest_first_in_utc_without_unmappable_ones():
    result = parse_answer("00340434161094015902", payload("dhl_parcel_out_for_delivery.json"))

    assert [e.status for e in result.events] == [
        Status.READY_TO_SHIP, Status.IN_TRANSIT, Status.IN_TRANSIT, Status.OUT_FOR_DELIVERY,
    ]
    last = result.events[-1]
    assert last.occurred_at == datetime(2024, 3, 12, 7, 14, tzinfo=timezone.utc)
    assert last.location == "Köln, DE"
    assert last.raw_code == "transit"
    assert last.raw_text == "In delivery - The shipment has been loaded onto the delivery vehicle"
    assert result.expected_delivery == date(2024, 3, 12)
    assert result.error is None


def test_current_status_repeating_the_newest_event_is_not_duplicated():
    result = parse_answer("X", payload("dhl_packstation_pickup.json"))

    assert [e.status for e in result.events] == [Status.OUT_FOR_DELIVERY, Status.READY_FOR_PICKUP, Status.DELIVERED]
    assert len({e.external_id for e in result.events}) == 3


def test_replayed_answer_gives_the_same_external_ids():
    first = parse_answer("X", payload("dhl_packstation_pickup.json"))
    second = parse_answer("X", payload("dhl_packstation_pickup.json"))

    assert [e.external_id for e in first.events] == [e.external_id for e in second.events]


def test_timestamp_without_offset_is_taken_as_utc():
    result = parse_answer("JJD000390007720563842", payload("dhl_failed_attempt.json"))

    assert result.events[0].status == Status.DELIVERY_FAILED
    assert result.events[0].occurred_at == datetime(2024, 5, 6, 13, 2, tzinfo=timezone.utc)


# --- I/O and errors --------------------------------------------------------------------------


def test_fetch_sends_key_postal_code_and_timeout(mock, adapter):
    mock.get(URL, json=payload("dhl_parcel_out_for_delivery.json"), match=[
        responses.matchers.query_param_matcher(
            {"trackingNumber": "00340434161094015902", "language": "en", "recipientPostalCode": "50667"}),
        responses.matchers.header_matcher({"DHL-API-Key": "test-key"}),
    ])

    [result] = adapter.fetch([query(postal_code="50667")], now=NOW)

    assert result.error is None and len(result.events) == 4
    assert mock.calls[0].request.req_kwargs["timeout"] is not None


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_key_gives_auth_error_for_every_number_without_asking_again(mock, adapter, status):
    mock.get(URL, status=status, json=payload("dhl_problem_401.json"))

    results = adapter.fetch([query("A"), query("B")], now=NOW)

    assert [r.error.kind for r in results] == ["auth", "auth"]
    assert [r.tracking_number for r in results] == ["A", "B"]
    assert len(mock.calls) == 1


def test_missing_api_key_gives_auth_error_without_any_request(mock):
    [result] = DhlAdapter(api_key="").fetch([query()], now=NOW)

    assert result.error.kind == "auth"


def test_404_gives_not_found_and_keeps_the_other_numbers(mock, adapter):
    mock.get(URL, status=404, json=payload("dhl_problem_404.json"),
             match=[responses.matchers.query_param_matcher({"trackingNumber": "A"}, strict_match=False)])
    mock.get(URL, json=payload("dhl_failed_attempt.json"),
             match=[responses.matchers.query_param_matcher({"trackingNumber": "B"}, strict_match=False)])

    missing, found = adapter.fetch([query("A"), query("B")], now=NOW)

    assert missing.error.kind == "not_found"
    assert "No shipment" in str(missing.error)
    assert found.error is None and found.events[0].status == Status.DELIVERY_FAILED


def test_429_gives_rate_limited_with_retry_after_and_spares_the_quota(mock, adapter):
    mock.get(URL, status=429, json=payload("dhl_problem_429.json"), headers={"Retry-After": "3600"})

    results = adapter.fetch([query("A"), query("B"), query("C")], now=NOW)

    assert [(r.error.kind, r.error.retry_after) for r in results] == [("rate_limited", 3600)] * 3
    assert len(mock.calls) == 1


def test_429_with_http_date_retry_after_gives_seconds_until_then(mock, adapter):
    mock.get(URL, status=429, headers={"Retry-After": "Tue, 12 Mar 2024 12:05:00 GMT"})

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.retry_after == 300


def test_500_gives_unavailable(mock, adapter):
    mock.get(URL, status=503, body="upstream down")

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "unavailable" and result.error.transient


@pytest.mark.parametrize("exc", [requests.exceptions.ReadTimeout(), requests.exceptions.ConnectTimeout(),
                                 requests.exceptions.ConnectionError()])
def test_timeout_or_connection_error_gives_unavailable_and_keeps_going(mock, adapter, exc):
    mock.get(URL, body=exc)
    mock.get(URL, json=payload("dhl_failed_attempt.json"))

    failed, ok = adapter.fetch([query("A"), query("B")], now=NOW)

    assert failed.error.kind == "unavailable"
    assert ok.error is None


def test_an_ipv6_base_url_nobody_answers_on_gives_unavailable():
    # Real sockets on loopback (no `responses`): the HTTP client's own error, not a bare ValueError.
    [result] = DhlAdapter(api_key="k", base_url="http://[::1]:9").fetch([query()], now=NOW)

    assert result.error.kind == "unavailable"


def test_malformed_json_gives_bad_response(mock, adapter):
    mock.get(URL, body="<html>gateway</html>", content_type="text/html")

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "bad_response"


def test_unexpected_shape_gives_bad_response(mock, adapter):
    mock.get(URL, json=payload("dhl_unexpected_shape.json"))

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "bad_response"


def test_empty_shipments_list_gives_not_found(mock, adapter):
    mock.get(URL, json={"shipments": []})

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "not_found"


def test_a_parser_bug_becomes_bad_response_instead_of_crashing(mock, adapter, monkeypatch):
    mock.get(URL, json=payload("dhl_failed_attempt.json"))
    monkeypatch.setattr(dhl, "parse_answer", lambda *a: 1 / 0)

    [result] = adapter.fetch([query()], now=NOW)

    assert result.error.kind == "bad_response"


def test_dhl_does_not_accept_webhooks(adapter):
    from tracking.carriers.base import WebhookRejected

    with pytest.raises(WebhookRejected):
        adapter.parse_webhook(b"{}", {})


def test_public_tracking_url_points_at_dhl(adapter):
    assert adapter.public_tracking_url("0034 0434").endswith("tracking-id=0034%200434")


# --- proof of delivery -------------------------------------------------------------------------


def test_a_delivered_shipment_with_a_proof_of_delivery_gives_its_photo_to_the_delivered_event():
    result = parse_answer("00340434161094015902", payload("dhl_delivered_with_photo.json"))

    delivered = [e for e in result.events if e.status == Status.DELIVERED]
    others = [e for e in result.events if e.status != Status.DELIVERED]
    assert len(delivered) == 1
    assert delivered[0].proof_of_delivery_url == (
        "https://api-eu.dhl.com/track/shipments/00340434161094015902/pod/photo.jpg?token=a1b2")
    assert all(e.proof_of_delivery_url == "" for e in others)


def test_the_signature_image_stands_in_when_dhl_has_no_photo():
    answer = payload("dhl_delivered_with_photo.json")
    del answer["shipments"][0]["details"]["proofOfDelivery"]["documentUrl"]

    result = parse_answer("00340434161094015902", answer)

    assert [e.proof_of_delivery_url for e in result.events if e.status == Status.DELIVERED] == [
        "https://api-eu.dhl.com/track/shipments/00340434161094015902/pod/signature.png?token=a1b2"]


def test_a_shipment_without_proof_of_delivery_gives_no_photo():
    result = parse_answer("00340434161094015902", payload("dhl_parcel_out_for_delivery.json"))

    assert all(e.proof_of_delivery_url == "" for e in result.events)


def test_a_polled_delivery_photo_reaches_the_shipment(mock, adapter, brand):
    from tests.factories import ShipmentFactory
    from tracking.services import carrier_events_record

    shipment = ShipmentFactory(brand=brand, carrier="dhl", tracking_number="00340434161094015902")
    mock.get(URL, json=payload("dhl_delivered_with_photo.json"))

    [result] = adapter.fetch([query()], now=NOW)
    carrier_events_record(carrier="dhl", events=list(result.events), source="poll")

    shipment.refresh_from_db()
    assert shipment.status == Status.DELIVERED
    assert shipment.proof_of_delivery_url.endswith("/pod/photo.jpg?token=a1b2")
