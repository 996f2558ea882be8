import pytest
import responses

from messaging import whatsapp_gate
from tests.messaging.whatsapp_templates.meta import BASE, WABA


@pytest.fixture
def platform_waba(settings):
    """The platform's business account configured, Meta replayed (every answer must be used)."""
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = WABA
    settings.WHATSAPP_ACCESS_TOKEN, settings.WHATSAPP_PHONE_NUMBER_ID = "token", "1000"
    settings.WHATSAPP_API_BASE_URL = BASE
    settings.WHATSAPP_TEMPLATE_HEADER_HANDLE = ""
    whatsapp_gate.forget(WABA)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps
    whatsapp_gate.forget(WABA)
