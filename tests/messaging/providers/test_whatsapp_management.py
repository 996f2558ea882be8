"""Meta's template management client: the paged list, creation, and one meaning per error."""

import pytest
import requests
import responses

from messaging.providers.whatsapp_management import (
    ManagementError,
    TemplateManagementClient,
    classify_management_error,
    parse_template,
)

BASE = "https://graph.facebook.com/v23.0"
URL = f"{BASE}/waba-1/message_templates"


def client():
    return TemplateManagementClient(business_account_id="waba-1", access_token="secret-token", base_url=BASE)


@pytest.mark.parametrize("status, error, kind", [
    (401, {"code": 190, "message": "Error validating access token"}, "auth"),
    (403, {"code": 200, "message": "Permissions error"}, "auth"),
    (403, None, "auth"),
    (400, {"code": 80008, "message": "too many calls to this WABA"}, "rate_limited"),
    (400, {"code": 4, "message": "Application request limit reached"}, "rate_limited"),
    (429, None, "rate_limited"),
    (400, {"code": 100, "error_subcode": 2388024, "message": "Content in this language already exists"}, "duplicate"),
    (400, {"code": 100, "message": "Invalid parameter"}, "invalid"),
    (500, {"code": 2, "message": "Service temporarily unavailable"}, "transient"),
    (502, None, "transient"),
])
def test_each_meta_error_has_one_meaning(status, error, kind):
    found = classify_management_error(status, {"error": error} if error else None)

    assert found.kind == kind
    assert found.stops_sync == (kind in ("auth", "rate_limited"))


def test_the_error_text_names_metas_message_for_the_operator():
    found = classify_management_error(400, {"error": {"code": 100, "message": "Invalid parameter",
                                                      "error_user_msg": "The footer has a variable"}})

    assert str(found) == "Meta HTTP 400 error 100: The footer has a variable" and found.code == "100"


def test_a_listed_template_keeps_the_fields_we_record():
    item = {"id": "17", "name": "pc_delivered_v3", "language": "en", "status": "REJECTED", "category": "UTILITY",
            "quality_score": {"score": "GREEN", "date": 1764633600}, "rejected_reason": "INVALID_FORMAT",
            "message_send_ttl_seconds": 43200, "components": [{"type": "BODY", "text": "Hi {{1}}"}]}

    assert parse_template(item) == {
        "meta_id": "17", "name": "pc_delivered_v3", "language": "en", "status": "REJECTED", "category": "UTILITY",
        "quality": "GREEN", "rejection_reason": "INVALID_FORMAT", "message_send_ttl_seconds": 43200,
        "components": [{"type": "BODY", "text": "Hi {{1}}"}]}
    assert parse_template({"name": "no_language"}) is None
    assert parse_template(item | {"rejected_reason": "NONE", "message_send_ttl_seconds": -1})["rejection_reason"] == ""


@responses.activate(assert_all_requests_are_fired=True)
def test_the_list_follows_paging_next_with_the_bearer_token():
    responses.get(URL, match=[responses.matchers.header_matcher({"Authorization": "Bearer secret-token"})],
                  json={"data": [{"name": "a", "language": "en"}], "paging": {"next": f"{URL}?after=X"}})
    responses.get(f"{URL}?after=X", json={"data": [{"name": "b", "language": "fr"}], "paging": {"cursors": {}}})
    api = client()

    names = [item["name"] for item in api.list_templates()]

    assert names == ["a", "b"] and api.calls == 2
    assert "fields=id%2Cname%2Clanguage%2Cstatus%2Ccategory%2Cquality_score" in responses.calls[0].request.url


@responses.activate
def test_creation_posts_the_registration_and_answers_metas_id_status_and_category():
    responses.post(URL, json={"id": "594425479261596", "status": "PENDING", "category": "UTILITY"},
                   match=[responses.matchers.json_params_matcher({"name": "pc_x_v3", "language": "en"})])

    assert client().create_template({"name": "pc_x_v3", "language": "en"}) == {
        "id": "594425479261596", "status": "PENDING", "category": "UTILITY"}


@responses.activate
def test_a_refused_call_raises_the_classified_error():
    responses.post(URL, status=400, json={"error": {"code": 80008, "message": "Too many calls"}})

    with pytest.raises(ManagementError) as raised:
        client().create_template({"name": "x"})

    assert raised.value.kind == "rate_limited"


@responses.activate
def test_a_network_failure_is_transient():
    responses.get(URL, body=requests.ConnectionError("refused"))

    with pytest.raises(ManagementError) as raised:
        list(client().list_templates())

    assert raised.value.kind == "transient" and raised.value.code == "network"
