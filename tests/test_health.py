from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client):
    with mock.patch("config.health.app.connection_for_write", side_effect=ConnectionRefusedError):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_api_docs_and_schema_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200 and b"/api/v1/brands/" in schema.content
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
