"""The notification grid at scale in a real browser: saves that fail go back and say why, regions
and column switches in one request, copy from a brand, the cost estimate, 30 countries on a phone."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from messaging.regions import EU
from messaging.selectors import channel_document
from messaging.services.notifications import channel_document_replace
from tests.browser.conftest import PASSWORD, log_in
from tests.factories import BrandFactory, ShipmentFactory, StatusEntryFactory, WhatsAppConsentFactory

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture says what is missing
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
THIRTY = (*EU, "GB", "CH", "NO")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def growth(merchant):
    """The merchant on Growth (WhatsApp in every country, EUR 0.14), consent given, WhatsApp on."""
    account, user, brand = merchant
    account.plan = "growth"
    account.save(update_fields=["plan"])
    WhatsAppConsentFactory(account=account, given_by=user, given_by_label=user.email)
    return account, user, brand


def whatsapp_with(brand, countries, **statuses):
    channel_document_replace(brand=brand, channel="whatsapp", enabled=True,
                             countries={code: dict(statuses) for code in countries})


def grid_url(brand, channel="whatsapp"):
    return f"/app/brands/{brand.pk}/notifications/{channel}/"


def test_a_toggle_whose_request_fails_goes_back_says_why_and_retries(page, growth):
    _, user, brand = growth
    whatsapp_with(brand, ("BE", "NL"))
    log_in(page, user.email)
    page.goto(grid_url(brand))
    toggle = page.get_by_role("switch", name="Delivered in Netherlands")
    expect(toggle).to_be_checked()

    # given the server answers 500
    page.route("**/toggle/", lambda route: route.fulfill(status=500, body="Internal Server Error"))
    toggle.click()
    alert = page.locator("#save-error")
    expect(alert).to_contain_text("error 500")
    expect(alert).to_contain_text("not saved")
    expect(toggle).to_be_checked()  # back as it was
    assert channel_document(brand=brand, channel="whatsapp").countries["NL"]["delivered"] is True

    # given no connection at all
    page.unroute("**/toggle/")
    page.route("**/toggle/", lambda route: route.abort("internetdisconnected"))
    toggle.click()
    expect(alert).to_contain_text("No connection")
    expect(toggle).to_be_checked()

    # when the connection is back, Retry saves what the merchant wanted, and says so
    page.unroute("**/toggle/")
    with page.expect_response(re.compile(r"/toggle/$")):
        alert.get_by_role("button", name="Retry").click()
    expect(page.get_by_role("switch", name="Delivered in Netherlands")).not_to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("Delivered in Netherlands off")
    expect(alert).to_be_hidden()
    assert channel_document(brand=brand, channel="whatsapp").countries["NL"]["delivered"] is False


def test_an_expired_session_leads_to_login_and_back(page, growth):
    _, user, brand = growth
    whatsapp_with(brand, ("NL",))
    log_in(page, user.email)
    page.goto(grid_url(brand))
    Session.objects.all().delete()  # the session expired on the server (the CSRF cookie stays)

    page.get_by_role("switch", name="Delivered in Netherlands").click()

    alert = page.locator("#save-error")
    expect(alert).to_contain_text("session has expired")
    expect(page.get_by_role("switch", name="Delivered in Netherlands")).to_be_checked()
    alert.get_by_role("link", name="Log in again").click()
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{grid_url(brand)}")
    expect(page.get_by_role("switch", name="Delivered in Netherlands")).to_be_checked()


def test_a_region_is_added_at_once_with_the_essential_statuses(page, growth):
    _, user, brand = growth
    whatsapp_with(brand, ())
    log_in(page, user.email)
    page.goto(grid_url(brand))
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.get_by_label("Add a region").select_option("benelux")
    page.get_by_role("button", name="Add countries").click()

    for name in ("Belgium", "Luxembourg", "Netherlands"):
        expect(page.get_by_role("columnheader", name=re.compile(name))).to_be_visible()
    assert len([url for url in posts if url.endswith("/countries/")]) == 1  # one request for three
    expect(page.get_by_role("switch", name="Delivered in Luxembourg")).to_be_checked()
    expect(page.get_by_role("switch", name="In transit in Luxembourg")).not_to_be_checked()
    document = channel_document(brand=brand, channel="whatsapp")
    assert set(document.countries) == {"BE", "LU", "NL"}
    assert {s for s, on in document.countries["BE"].items() if on} == {
        "out_for_delivery", "delivery_failed", "ready_for_pickup", "delivered"}


def test_a_column_switch_turns_off_one_country_only(page, growth):
    _, user, brand = growth
    whatsapp_with(brand, ("BE", "NL"))
    log_in(page, user.email)
    page.goto(grid_url(brand))

    with page.expect_response(re.compile(r"/toggles/$")):
        page.get_by_role("checkbox", name="Every status in Netherlands").click()

    expect(page.get_by_role("switch", name="Delivered in Netherlands")).not_to_be_checked()
    expect(page.get_by_role("switch", name="In transit in Netherlands")).not_to_be_checked()
    expect(page.get_by_role("switch", name="Delivered in Belgium")).to_be_checked()
    document = channel_document(brand=brand, channel="whatsapp")
    assert not any(document.countries["NL"].values()) and all(document.countries["BE"].values())


def test_copy_settings_from_another_brand(page, growth):
    account, user, brand = growth
    other = BrandFactory(account=account, name="Petite Maison")
    channel_document_replace(brand=other, channel="email", enabled=True,
                             countries={"FR": {"delivered": False}, "IT": {}})
    log_in(page, user.email)
    page.goto(grid_url(brand, "email"))

    page.get_by_text("Copy from another brand").click()
    page.get_by_label("Brand to copy from").select_option(str(other.pk))
    page.get_by_role("button", name="Copy settings").click()

    expect(page.get_by_role("columnheader", name=re.compile("France"))).to_be_visible()
    expect(page.get_by_role("switch", name="Delivered in France")).not_to_be_checked()
    expect(page.get_by_role("switch", name="Delivered in Italy")).to_be_checked()
    assert channel_document(brand=brand, channel="email").countries == channel_document(
        brand=other, channel="email").countries


def test_the_cost_estimate_changes_when_a_status_is_switched(page, growth):
    _, user, brand = growth
    whatsapp_with(brand, ("BE", "NL"))
    for _ in range(3):
        StatusEntryFactory(shipment=ShipmentFactory(brand=brand, to_country="NL"), status="delivered")
    StatusEntryFactory(shipment=ShipmentFactory(brand=brand, to_country="BE"), status="in_transit")
    log_in(page, user.email)
    page.goto(grid_url(brand))
    cost = page.locator("#cost-estimate")
    expect(cost).to_contain_text("EUR 0.56")  # 4 messages at EUR 0.14

    page.get_by_role("switch", name="Delivered in Netherlands").click()

    expect(cost).to_contain_text("EUR 0.14")
    expect(cost).to_contain_text("1 message at EUR 0.14")


def _thirty_countries(growth):
    _, user, brand = growth
    whatsapp_with(brand, THIRTY, in_transit=False, ready_to_ship=False, return_label_created=False,
                  return_dropped_off=False, post_purchase=False)
    now = timezone.now()
    for index, country in enumerate(THIRTY[:12]):
        shipment = ShipmentFactory(brand=brand, to_country=country)
        for status in ("in_transit", "out_for_delivery", "delivered")[: 1 + index % 3]:
            StatusEntryFactory(shipment=shipment, status=status, event__occurred_at=now)
    return user, brand


def test_thirty_countries_on_a_phone_keep_every_status_name_whole(phone_page, growth):
    user, brand = _thirty_countries(growth)
    log_in(phone_page, user.email)
    phone_page.goto(grid_url(brand))
    grid = phone_page.locator(".grid-wrap")
    expect(phone_page.get_by_role("columnheader", name=re.compile("Austria"))).to_be_visible()

    def labels_whole():
        return phone_page.evaluate("""() => Array.from(document.querySelectorAll('#grid-table .row-label')).map(label => {
            const box = label.getBoundingClientRect(), cell = label.closest('th').getBoundingClientRect();
            return {text: label.textContent, left: box.left, right: box.right, cellRight: cell.right,
                    clipped: label.scrollWidth > label.clientWidth + 1};
        })""")

    grid.evaluate("el => el.scrollLeft = el.scrollWidth")  # scrolled to the last country
    for label in labels_whole():
        assert label["left"] >= 0 and label["right"] <= 390, label  # inside the screen
        assert label["right"] <= label["cellRight"] + 0.5 and not label["clipped"], label
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # only the grid scrolls
    grid.evaluate("el => el.scrollLeft = 0")
    if os.environ.get("GRID_SCREENSHOTS") == "1":  # GRID_SCREENSHOTS=1 refreshes docs/screenshots
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone_page.locator("#grid-card").scroll_into_view_if_needed()
        phone_page.screenshot(path=str(SCREENSHOTS / "grid-phone.png"))


def test_thirty_countries_on_a_desktop(browser, live_server, browser_settings, growth):
    user, brand = _thirty_countries(growth)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    log_in(page, user.email)
    page.goto(grid_url(brand))
    expect(page.get_by_role("columnheader", name=re.compile("United Kingdom"))).to_be_attached()
    names = page.locator("#grid-table thead th[data-c] .col-name").all_inner_texts()
    assert names == sorted(names, key=str.casefold) and names[0] == "Austria"  # by name, not by code
    page.get_by_label("Find a country", exact=True).fill("swe")
    expect(page.locator("#grid-table thead th[data-c]:visible")).to_have_count(1)
    page.get_by_label("Find a country", exact=True).fill("")
    page.get_by_label("Find a country", exact=True).blur()
    expect(page.locator(".grid-frame")).to_have_class(re.compile("more-right"))  # a cut column says "scroll"
    if os.environ.get("GRID_SCREENSHOTS") == "1":  # GRID_SCREENSHOTS=1 refreshes docs/screenshots
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#grid-card").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, document.querySelector('#grid-card').offsetTop - 12)")
        page.screenshot(path=str(SCREENSHOTS / "grid-desktop.png"))
    context.close()


def test_all_off_switches_every_status_of_the_channel(page, growth):
    _, user, brand = growth
    whatsapp_with(brand, ("BE", "NL"))
    log_in(page, user.email)
    page.goto(grid_url(brand))

    page.get_by_role("button", name="All off").click()

    expect(page.get_by_role("switch", name="Delivered in Belgium")).not_to_be_checked()
    expect(page.get_by_role("switch", name="Delivered in Netherlands")).not_to_be_checked()
    expect(page.get_by_role("button", name="All on")).to_be_visible()  # the card is still there
    document = channel_document(brand=brand, channel="whatsapp")
    assert not any(on for statuses in document.countries.values() for on in statuses.values())
