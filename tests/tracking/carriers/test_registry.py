from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from tracking.carriers import registry
from tracking.carriers.aftership import AfterShipAdapter
from tracking.carriers.base import TrackingQuery, WebhookRejected
from tracking.carriers.dhl import DhlAdapter
from tracking.carriers.manual import ManualAdapter
from tracking.carriers.registry import (
    CARRIER_CODES,
    UnknownCarrier,
    carrier_choices,
    configure,
    get_adapter,
)
from tracking.carriers.sandbox import SandboxAdapter
from tracking.carriers.ups import UpsAdapter
from tracking.statuses import Status

NOW = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def clean_registry():
    registry.reset()
    yield
    registry.reset()


def test_every_carrier_has_a_code_and_a_choice():
    assert CARRIER_CODES == ("sandbox", "manual", "dhl", "ups", "aftership")
    assert dict(carrier_choices()) == {
        "sandbox": "Sandbox (simulated)", "manual": "Manual (events via API)", "dhl": "DHL", "ups": "UPS",
        "aftership": "AfterShip",
    }


def test_unknown_code_raises_unknown_carrier_not_key_error():
    with pytest.raises(UnknownCarrier) as info:
        get_adapter("pigeon", config={})

    assert not isinstance(info.value, KeyError)


def test_adapters_are_built_from_the_given_config():
    config = {"DHL_API_KEY": "k", "UPS_CLIENT_ID": "id", "UPS_CLIENT_SECRET": "s", "AFTERSHIP_API_KEY": "a",
              "AFTERSHIP_WEBHOOK_SECRET": "w", "SANDBOX_CARRIER_STEP_SECONDS": "30"}

    dhl = get_adapter("dhl", config=config)
    ups = get_adapter("ups", config=config)
    aftership = get_adapter("aftership", config=config)

    assert isinstance(dhl, DhlAdapter) and dhl.api_key == "k" and dhl.base_url == "https://api-eu.dhl.com"
    assert isinstance(ups, UpsAdapter) and (ups.client_id, ups.client_secret) == ("id", "s")
    assert ups.base_url == "https://onlinetools.ups.com"
    assert isinstance(aftership, AfterShipAdapter) and aftership.webhook_secret == "w"
    assert aftership.base_url == "https://api.aftership.com"
    assert get_adapter("sandbox", config=config).step_seconds == 30


def test_sandbox_defaults_to_two_minute_steps():
    assert get_adapter("sandbox", config={}).step_seconds == 120


def test_base_urls_can_be_overridden():
    adapter = get_adapter("dhl", config={"DHL_API_BASE_URL": "https://api-test.dhl.com"})

    assert adapter.base_url == "https://api-test.dhl.com"


def test_configured_adapters_are_built_once_and_rebuilt_after_reconfiguring():
    configure({"DHL_API_KEY": "one"})
    first = get_adapter("dhl")

    assert get_adapter("dhl") is first
    configure({"DHL_API_KEY": "two"})
    assert get_adapter("dhl").api_key == "two"


def test_without_config_the_django_settings_are_read_lazily(monkeypatch):
    fake = SimpleNamespace(DHL_API_KEY="from-settings", SANDBOX_CARRIER_STEP_SECONDS=5)
    monkeypatch.setattr("django.conf.settings", fake)

    assert get_adapter("dhl").api_key == "from-settings"
    assert get_adapter("sandbox").step_seconds == 5
    assert get_adapter("ups").base_url == "https://onlinetools.ups.com"  # getattr default


def test_polled_and_pushing_flags():
    flags = {code: (registry.adapter_class(code).polled, registry.adapter_class(code).pushes) for code in CARRIER_CODES}

    assert flags == {"sandbox": (True, False), "manual": (False, False), "dhl": (True, False),
                     "ups": (True, False), "aftership": (False, True)}


def test_manual_carrier_never_fetches_and_never_fails():
    results = get_adapter("manual", config={}).fetch([TrackingQuery("M1", NOW), TrackingQuery("M2", NOW)], now=NOW)

    assert [(r.tracking_number, r.events, r.error) for r in results] == [("M1", (), None), ("M2", (), None)]


def test_manual_carrier_accepts_only_our_own_status_codes():
    assert ManualAdapter.map_status("delivered", "") == Status.DELIVERED
    assert ManualAdapter.map_status("DLV", "Delivered") is None


def test_carriers_that_do_not_push_reject_webhooks():
    for adapter in (ManualAdapter(), SandboxAdapter()):
        with pytest.raises(WebhookRejected, match="does not push"):
            adapter.parse_webhook(b"{}", {})
