"""The metrics endpoint turned on with a token, and `scrape()` to read it as Prometheus would."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "metrics-token-0123456789abcdef0123456789"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    return settings


@pytest.fixture
def scrape(client, metrics_on):
    """scrape() -> {(name, frozenset(labels.items())): value} of every sample /metrics shows."""

    def _scrape() -> dict:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200, response.content[:300]
        return samples(response.content.decode())

    return _scrape


def samples(text: str) -> dict:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped: dict, name: str, **labels) -> float | None:
    return scraped.get((name, frozenset(labels.items())))
