import copy
import hashlib
import hmac
import json
from datetime import datetime, timezone

import pytest

from messaging.webhooks import STATE_RANK
from messaging.webhooks.whatsapp_parse import parse, verify_challenge, verify_signature

SECRET = "0123456789abcdef0123456789abcdef"
NUMBER_ID = "106540352242922"
WAMID = "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"


def envelope(value: dict) -> dict:
    """The recorded envelope around one `messages` change."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "messages",
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_ID}, **value},
    }]}]}


def status(state: str, timestamp: str, **extra) -> dict:
    item = {"id": WAMID, "status": state, "timestamp": timestamp, "recipient_id": "31612345678",
            "biz_opaque_callback_data": "4711",
            "pricing": {"billable": True, "pricing_model": "PMP", "category": "utility", "type": "regular"}}
    item.update(extra)
    return item


def inbound(kind: str, content: dict, sender: str = "31612345678", timestamp: str = "1718000400") -> dict:
    return {"from": sender, "id": "wamid.IN" + kind.upper(), "timestamp": timestamp, "type": kind, kind: content}


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- signature and handshake ----------------------------------------------------------------

BODY = json.dumps(envelope({"statuses": [status("sent", "1718000000")]})).encode()


def test_good_signature_is_accepted():
    assert verify_signature(BODY, sign(BODY), SECRET) is True


def test_signature_over_a_changed_body_is_refused():
    assert verify_signature(BODY.replace(b"sent", b"read"), sign(BODY), SECRET) is False


def test_signature_with_another_secret_is_refused():
    assert verify_signature(BODY, sign(BODY, "another-secret"), SECRET) is False


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha1=abc", "deadbeef", "sha256=zz\u00e9"])
def test_missing_or_malformed_signature_header_is_refused(header):
    assert verify_signature(BODY, header, SECRET) is False


def test_unset_app_secret_refuses_everything_even_a_matching_signature():
    assert verify_signature(BODY, sign(BODY, ""), "") is False


def test_uppercase_hex_signature_is_accepted():
    assert verify_signature(BODY, "sha256=" + sign(BODY)[7:].upper(), SECRET) is True


def test_challenge_is_echoed_for_the_right_token():
    params = {"hub.mode": "subscribe", "hub.verify_token": "my-token", "hub.challenge": "1158201444"}
    assert verify_challenge(params, "my-token") == "1158201444"


@pytest.mark.parametrize("params, token", [
    ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}, "my-token"),
    ({"hub.mode": "unsubscribe", "hub.verify_token": "my-token", "hub.challenge": "1"}, "my-token"),
    ({"hub.mode": "subscribe", "hub.verify_token": "my-token"}, "my-token"),
    ({"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}, ""),
])
def test_challenge_is_refused_for_wrong_token_mode_or_unset_token(params, token):
    assert verify_challenge(params, token) is None


# --- statuses -------------------------------------------------------------------------------


def test_delivered_status_parses_with_callback_data_pricing_and_time():
    [update] = parse(envelope({"statuses": [status("delivered", "1718000060")]})).statuses
    assert update.provider_message_id == WAMID
    assert update.state == "delivered"
    assert update.at == at(1718000060) and update.at.tzinfo == timezone.utc
    assert update.recipient == "+31612345678"
    assert update.callback_data == "4711"
    assert update.billable is True
    assert (update.error_code, update.error_title) == ("", "")


def test_out_of_order_statuses_each_keep_their_own_timestamp():
    # Meta delivered "read" before "delivered" before "sent": parse keeps each with its time,
    # so whoever applies them can refuse to move backwards.
    payload = envelope({"statuses": [status("read", "1718000120"), status("delivered", "1718000060"),
                                     status("sent", "1718000000")]})
    updates = parse(payload).statuses
    assert [(u.state, u.at) for u in updates] == [
        ("read", at(1718000120)), ("delivered", at(1718000060)), ("sent", at(1718000000))]
    assert max(updates, key=lambda u: STATE_RANK[u.state]).state == "read"


def test_failed_status_carries_the_error_code_and_title():
    failed = status("failed", "1718000005", errors=[{
        "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
        "error_data": {"details": "Message Undeliverable."}}])
    del failed["pricing"]
    [update] = parse(envelope({"statuses": [failed]})).statuses
    assert (update.state, update.error_code, update.error_title) == ("failed", "131026", "Message undeliverable")
    assert update.billable is None


def test_statuses_spread_over_several_entries_and_changes_are_all_parsed():
    payload = envelope({"statuses": [status("sent", "1718000000")]})
    payload["entry"].append(copy.deepcopy(payload["entry"][0]))
    payload["entry"][1]["changes"][0]["value"]["statuses"][0]["status"] = "delivered"
    assert [u.state for u in parse(payload).statuses] == ["sent", "delivered"]


@pytest.mark.parametrize("broken", [
    "not a dict",
    {"status": "delivered", "timestamp": "1718000000"},  # no id
    {"id": WAMID, "status": "deleted", "timestamp": "1718000000"},  # unknown status
    {"id": WAMID, "status": "sent", "timestamp": "yesterday"},
    {"id": WAMID, "status": "sent"},
])
def test_malformed_status_items_are_skipped_and_the_rest_kept(broken):
    result = parse(envelope({"statuses": [broken, status("read", "1718000120")]}))
    assert [u.state for u in result.statuses] == ["read"]


# --- inbound --------------------------------------------------------------------------------


def test_inbound_stop_text_parses_with_sender_number_and_our_number_id():
    payload = envelope({"contacts": [{"profile": {"name": "Ann"}, "wa_id": "31612345678"}],
                        "messages": [inbound("text", {"body": "STOP"})]})
    [text] = parse(payload).inbound
    assert (text.sender, text.text, text.phone_number_id) == ("+31612345678", "STOP", NUMBER_ID)
    assert text.provider_message_id == "wamid.INTEXT"
    assert text.at == at(1718000400)


def test_inbound_track_text_keeps_the_order_number():
    [text] = parse(envelope({"messages": [inbound("text", {"body": "TRACK 1234-AB"})]})).inbound
    assert text.text == "TRACK 1234-AB"


def test_quick_reply_button_gives_its_text():
    item = inbound("button", {"payload": "STOP_UPDATES", "text": "Stop"})
    item["context"] = {"from": "15550783881", "id": WAMID}
    [text] = parse(envelope({"messages": [item]})).inbound
    assert text.text == "Stop"


def test_button_without_text_falls_back_on_its_payload():
    [text] = parse(envelope({"messages": [inbound("button", {"payload": "TRACK"})]})).inbound
    assert text.text == "TRACK"


def test_media_and_reactions_are_not_inbound_texts():
    payload = envelope({"messages": [
        inbound("image", {"id": "1479537139650973", "mime_type": "image/jpeg"}),
        inbound("reaction", {"message_id": WAMID, "emoji": "\U0001F44D"}),
        inbound("text", {"body": "TRACK 99"}),
    ]})
    assert [t.text for t in parse(payload).inbound] == ["TRACK 99"]


def test_statuses_and_inbound_in_one_delivery_are_both_parsed():
    result = parse(envelope({"statuses": [status("read", "1718000120")],
                             "messages": [inbound("text", {"body": "STOP"})]}))
    assert (len(result.statuses), len(result.inbound)) == (1, 1)


# --- envelope -------------------------------------------------------------------------------


@pytest.mark.parametrize("garbage", [None, [], "text", 42, {"object": "page", "entry": []}, {"entry": "x"},
                                     {"object": "whatsapp_business_account"}])
def test_garbage_envelope_raises_value_error(garbage):
    with pytest.raises(ValueError):
        parse(garbage)


@pytest.mark.parametrize("entry", [[], [None], [{"id": "1"}], [{"changes": "x"}], [{"changes": [None]}],
                                   [{"changes": [{"field": "messages"}]}],
                                   [{"changes": [{"field": "messages", "value": {"statuses": "x"}}]}]])
def test_structurally_valid_envelope_with_odd_content_never_raises(entry):
    result = parse({"object": "whatsapp_business_account", "entry": entry})
    assert (result.statuses, result.inbound) == ([], [])


def test_other_fields_such_as_template_status_updates_are_ignored():
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "message_template_status_update",
        "value": {"event": "APPROVED", "message_template_id": 1, "message_template_name": "x"}}]}]}
    assert parse(payload).statuses == []


# --- pricing and business-scoped user ids ------------------------------------------------------

USER_ID = "US.13491208655302741918"


def test_a_status_carries_metas_whole_pricing_object():
    [update] = parse(envelope({"statuses": [status("delivered", "1718000060", pricing={
        "billable": False, "pricing_model": "pmp", "category": "UTILITY", "type": "free_customer_service"})]})).statuses

    assert update.pricing is not None
    assert (update.pricing.billable, update.pricing.pricing_model, update.pricing.category, update.pricing.type) == (
        False, "PMP", "utility", "free_customer_service")
    assert update.billable is False


def test_a_status_without_pricing_has_none():
    item = status("read", "1718000060")
    del item["pricing"]

    assert parse(envelope({"statuses": [item]})).statuses[0].pricing is None


@pytest.mark.parametrize("extra, phone", [
    ({"recipient_user_id": USER_ID}, "+31612345678"),  # beside the number
    ({"recipient_id": None, "recipient_user_id": USER_ID}, ""),  # instead of it
    ({"recipient_id": USER_ID}, ""),  # where the number used to be: never read as digits
])
def test_a_status_takes_the_user_id_beside_or_instead_of_the_number(extra, phone):
    item = {k: v for k, v in {**status("sent", "1718000000"), **extra}.items() if v is not None}

    [update] = parse(envelope({"statuses": [item]})).statuses

    assert (update.recipient, update.recipient_user_id) == (phone, USER_ID)


def test_an_inbound_message_from_a_user_id_only_sender_is_kept():
    item = inbound("text", {"body": "STOP"})
    del item["from"]
    item["from_user_id"] = USER_ID

    [text] = parse(envelope({"messages": [item]})).inbound

    assert (text.sender, text.sender_user_id, text.text) == ("", USER_ID, "STOP")


def test_an_inbound_message_takes_the_user_id_of_its_contact():
    payload = envelope({"contacts": [{"wa_id": "31612345678", "user_id": USER_ID}],
                        "messages": [inbound("text", {"body": "hi"})]})

    [text] = parse(payload).inbound

    assert (text.sender, text.sender_user_id) == ("+31612345678", USER_ID)


def test_an_inbound_message_with_neither_number_nor_user_id_is_skipped():
    item = inbound("text", {"body": "STOP"})
    del item["from"]

    assert parse(envelope({"messages": [item]})).inbound == []
