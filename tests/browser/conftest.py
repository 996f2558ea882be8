"""Browser tests: Playwright's sync API driving Debian's Chromium (never a downloaded browser)
against pytest-django's live server.

Off CI they skip, saying what is missing, when the playwright package or Chromium is not there;
under CI=true they fail instead, like tests/conftest.py's require_postgres.
"""

import importlib.util
import os
import shutil

import pytest
from django.db import connections

from tests.conftest import IN_CI
from tests.factories.billing import plans, vat_rates  # noqa: F401 - fixtures (transactional tests flush them)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def require_browser() -> None:
    """Skip off CI when Playwright or Chromium is missing; under CI=true fail instead of skipping."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright package (pip install -r requirements.txt)")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=/path/to/it)")
    if not missing:
        return
    reason = "browser tests need " + " and ".join(missing)
    if IN_CI:
        pytest.fail(f"CI=true but {reason}: they must run for real in CI.")
    pytest.skip(reason + "; they run for real in CI")


@pytest.fixture
def browser(monkeypatch):
    """Chromium for one test. Per test, not per session: Playwright's sync API runs an event loop in
    this thread, which makes Django refuse ORM calls from the test body (SynchronousOnlyOperation)
    unless DJANGO_ALLOW_ASYNC_UNSAFE is set; both must end with the test, not leak into the others."""
    require_browser()
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # Django keeps connections per context, and Playwright's loop gives this thread another
        # one: close what the test body opened there, or PostgreSQL cannot drop the test database.
        connections.close_all()


@pytest.fixture
def browser_settings(settings):
    # The live server speaks plain http: cookies cannot require https there.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return settings


def _page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server, browser_settings, plans):  # noqa: F811
    context, tab = _page(browser, live_server, DESKTOP)
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser, live_server, browser_settings, plans):  # noqa: F811
    context, tab = _page(browser, live_server, PHONE)
    yield tab
    context.close()


PASSWORD = "a-long-enough-passphrase"


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/app/")


@pytest.fixture
def merchant(plans):  # noqa: F811
    """A Lite account with one brand, its owner's e-mail as the login."""
    from brands.services import account_create, brand_create

    account, user, _ = account_create(company_name="Petite Boutique SRL", country="BE", plan="lite",
                                      email="owner@petite.example", password=PASSWORD)
    brand = brand_create(account=account, name="Petite Boutique", slug="petite-boutique", primary_color="#be185d")
    return account, user, brand
