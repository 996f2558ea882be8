"""The dashboard's channel table (nine message states and two rates) fits a 1280-pixel screen in
every panel language, with messages in every channel: nothing to scroll sideways on a laptop."""

import pytest

from brands.models import Language, Membership
from tests.browser.conftest import log_in
from tests.factories import MessageFactory, ShipmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", Language.values)
def test_the_channel_table_fits_a_laptop_screen_in_every_language(page, merchant, language):
    account, user, brand = merchant
    Membership.objects.filter(user=user).update(language=language)
    shipment = ShipmentFactory(brand=brand)
    for channel in ("email", "sms", "whatsapp"):
        MessageFactory(shipment=shipment, brand=brand, channel=channel, state="delivered")

    log_in(page, user.email)
    page.goto("/app/")

    assert page.evaluate("document.documentElement.lang") == language
    wrap = page.locator("section[aria-labelledby=channels-title] .table-wrap")
    widths = wrap.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] <= widths[1], f"{language}: the table is {widths[0] - widths[1]} px wider than its card"
