"""Production security settings, the Content-Security-Policy and the request size limit."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings

from core.middleware import csp_header_value

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_production_cookies_are_https_only_http_only_and_expire():
    # the test settings run with DEBUG off, as production does
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600
    assert settings.SECURE_HSTS_SECONDS >= 31536000 and settings.SECURE_HSTS_INCLUDE_SUBDOMAINS


def test_passwords_are_validated_at_sign_up(client):
    response = client.post("/accounts/signup/", {"company": "Acme", "country": "NL", "plan": "lite",
                                                 "email": "owner@acme.example", "password": "12345678"})
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert "too common" in response.content.decode() or "entirely numeric" in response.content.decode()


def test_every_page_carries_the_content_security_policy_and_secure_headers(client):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csp_can_run_report_only(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == csp_header_value(settings.CSP_POLICY)


def test_templates_have_no_inline_script_and_every_inline_handler_is_allowed_by_hash():
    """A new inline <script> or on*="" handler needs the CSP changed (or better: a static file)."""
    allowed = set(settings.CSP_POLICY["script-src"])
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, f"{path}: inline script {tag}"
        for handler in re.findall(r"\son[a-z]+=\"([^\"]*)\"", text):
            digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, f"{path}: inline handler {handler!r} is blocked by the CSP"


def test_api_docs_are_served_without_inline_script(client, django_user_model):
    html = client.get("/api/docs/").content.decode()
    assert re.search(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", html) is None


def test_an_oversized_body_is_refused_from_its_content_length_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1024
    response = client.generic("POST", "/webhooks/whatsapp/", b"x" * 10, content_type="application/json",
                              CONTENT_LENGTH="5000000")
    assert response.status_code == 413


def test_a_body_over_the_limit_is_refused_on_the_api(api, settings):
    settings.MAX_REQUEST_BYTES = 4096
    response = api.post("/api/v1/tracking-events/", [{"x": "y" * 5000}], format="json")
    assert response.status_code == 413


def test_a_negative_content_length_is_a_bad_request(client):
    response = client.generic("POST", "/webhooks/whatsapp/", b"", CONTENT_LENGTH="-1")
    assert response.status_code == 400


def test_the_admin_is_for_staff_only(client, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_post_form_carries_a_csrf_token():
    # The unsubscribe page is the one exception: RFC 8058 one-click posts carry no token, the signed
    # URL itself is the proof (messaging/unsubscribe_views.py).
    exempt = {"messaging/unsubscribe.html"}
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        for form in re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", path.read_text(), re.DOTALL | re.IGNORECASE):
            if name not in exempt:
                assert "csrf_token" in form, f"{name}: a POST form without {{% csrf_token %}}"
