"""Provider webhooks posted as the providers post them: signed, to the real views.

In production the webhook views run in autocommit, so what they leave to after the commit (the
status intake's drain kick) happens before they answer. A test's transaction would hold that
back until the test ends: each post here runs the on-commit callbacks its request registered."""

import hashlib
import hmac
import json

from django.test import TestCase
from twilio.request_validator import RequestValidator


def whatsapp_post(client, payload: dict | bytes, secret: str = "app-secret"):
    """Meta's webhook: `payload` (a dict, or the exact body) signed with the app secret."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/webhooks/whatsapp/", body, content_type="application/json",
                           HTTP_X_HUB_SIGNATURE_256=signature)


def whatsapp_statuses(statuses, phone_number_id: str = "1") -> dict:
    """Meta's envelope around status items."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [
        {"field": "messages", "value": {"metadata": {"phone_number_id": phone_number_id}, "statuses": list(statuses)}}]}]}


def twilio_post(client, path: str, params: dict, token: str = "twilio-token"):
    """Twilio's callback, signed as Twilio signs it (the URL and the form)."""
    signature = RequestValidator(token).compute_signature(f"http://testserver{path}", params)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
