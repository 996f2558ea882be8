"""Meta's template management answers, as Graph API v23 documents them, for `responses`."""

import responses

BASE = "https://graph.facebook.com/v23.0"
WABA = "waba-platform"
LIST_URL = f"{BASE}/{WABA}/message_templates"


def listed(name, language, status="APPROVED", category="UTILITY", quality="GREEN", **extra):
    return {"id": f"{abs(hash((name, language))) % 10**12}", "name": name, "language": language, "status": status,
            "category": category, "quality_score": {"score": quality, "date": 1764633600}, **extra}


def list_pages(rsps, *pages):
    """The list answered page after page, each but the last pointing at the next (`paging.next`)."""
    for index, page in enumerate(pages):
        body = {"data": page, "paging": {"cursors": {"before": "b", "after": f"c{index}"}}}
        if index + 1 < len(pages):
            body["paging"]["next"] = f"{LIST_URL}?limit=100&after=c{index}&access_token=ignored"
        match = [responses.matchers.query_param_matcher({"limit": "100", "after": f"c{index - 1}",
                                                         "access_token": "ignored"})] if index else [
            responses.matchers.query_param_matcher({"fields": (
                "id,name,language,status,category,quality_score,rejected_reason,components,message_send_ttl_seconds"),
                "limit": "100"})]
        rsps.get(LIST_URL, json=body, match=match)


def creations(rsps, status="PENDING", category="UTILITY"):
    """Every POST accepted: `{"id", "status", "category"}`; the bodies are in rsps.calls."""
    counter = iter(range(100000, 999999))

    def answer(request):
        import json

        return 200, {}, json.dumps({"id": str(next(counter)), "status": status, "category": category})

    rsps.add_callback(responses.POST, LIST_URL, callback=answer, content_type="application/json")


def posted(rsps):
    import json

    return [json.loads(call.request.body) for call in rsps.calls if call.request.method == "POST"]
