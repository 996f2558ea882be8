"""`make screenshots`: PNGs of the panel's main pages and the shopper's pages, desktop (1280x800) and phone (390x844).

A throw-away SQLite database (var/screenshots.sqlite3) gets the demo data (`seed_demo`), the
sandbox carrier moves the demo parcels on (so messages are sent to the sandbox outbox), the app
is served on 127.0.0.1 in a thread and Debian's Chromium, driven by Playwright, takes the shots
into screenshots/ (gitignored). Nothing leaves the machine.

    .venv/bin/python scripts/screenshots.py [--only dashboard,outbox]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "screenshots.sqlite3"
OUT = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def setup_django() -> None:
    DB.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(DB) + suffix).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"  # eager tasks, locmem e-mail, static via finders
    import django
    from django.conf import settings

    django.setup()
    # Served over plain http on 127.0.0.1: cookies cannot require https here.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


def seed() -> dict:
    """The demo account, its parcels moved along, a month of message history and a Lite account."""
    from django.core.management import call_command
    from django.utils import timezone

    from brands.services import account_create, brand_create
    from tracking.models import Shipment
    from tracking.tasks import poll_due_shipments

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    for _ in range(3):  # each poll moves the (backdated) sandbox parcels on and sends their messages
        Shipment.objects.update(next_poll_at=timezone.now())
        poll_due_shipments()
    # The demo holds a month of delivered parcels and their messages already (billing/demo_history.py):
    # the dashboard's chart shows a month, and charges, usage and spend agree.
    invoice_last_month(timezone.now())
    lite, _, _ = account_create(company_name="Lite Shop B.V.", country="BE", plan="lite",
                                email="lite@parcelcast.test", password="trailhead-2026")
    brand_create(account=lite, name="Petite Boutique", slug="petite-boutique", primary_color="#be185d")
    return {"lite": lite}


def invoice_last_month(now) -> None:
    """Last month's charges (the demo's history) invoiced and issued, for the billing page."""
    from django.core.management import call_command

    from billing.invoice_services import invoice_issue
    from billing.models import Invoice

    period = (now.date().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    call_command("invoice", period=period, stdout=io.StringIO())
    for invoice in Invoice.objects.filter(status="draft"):
        invoice_issue(invoice_id=invoice.pk)


def serve() -> str:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def pages() -> list[tuple[str, str, str | None]]:
    """(name, path, who): who logs in first (None: nobody)."""
    from django.urls import reverse

    from brands.models import Brand
    from messaging.optout_tokens import make_optout_token
    from tracking.models import Shipment

    demo = Brand.objects.get(slug="trailhead")
    lite = Brand.objects.get(slug="petite-boutique")
    shipment = Shipment.objects.filter(brand=demo).exclude(status=None).order_by("pk").first()
    return [
        ("login", reverse("login"), None),
        ("signup", reverse("signup"), None),
        ("dashboard", reverse("panel:dashboard"), "demo"),
        ("shipments", reverse("panel:shipment-list"), "demo"),
        ("shipment-detail", reverse("panel:shipment-detail", args=[shipment.pk]), "demo"),
        ("shipment-new", reverse("panel:shipment-create"), "demo"),
        ("messages", reverse("panel:message-list"), "demo"),
        ("outbox", reverse("panel:outbox"), "demo"),
        ("notifications-whatsapp", reverse("panel:notifications", args=[demo.pk, "whatsapp"]), "demo"),
        ("notifications-email", reverse("panel:notifications", args=[demo.pk, "email"]), "demo"),
        ("sending-policy", reverse("panel:notifications-policy", args=[demo.pk]), "demo"),
        ("templates-sms", reverse("panel:template-editor", args=[demo.pk, "sms"]) + "?status=out_for_delivery", "demo"),
        ("templates-email", reverse("panel:template-editor", args=[demo.pk, "email"]) + "?status=delivered", "demo"),
        ("templates-whatsapp", reverse("panel:template-editor", args=[demo.pk, "whatsapp"]), "demo"),
        ("brands", reverse("panel:brand-list"), "demo"),
        ("brand-edit", reverse("panel:brand-edit", args=[demo.pk]), "demo"),
        ("billing", reverse("panel:billing"), "demo"),
        ("settings", reverse("panel:settings"), "demo"),
        ("lite-whatsapp-consent", reverse("panel:notifications", args=[lite.pk, "whatsapp"]) + "?consent=1", "lite"),
        ("lite-dashboard", reverse("panel:dashboard"), "lite"),
        # The shopper's pages (no login).
        ("shopper-tracking", reverse("tracking:page", args=[shipment.tracking_token]), None),
        ("shopper-lookup", reverse("tracking:lookup", args=[demo.slug]), None),
        ("shopper-unsubscribe", reverse("unsubscribe", args=[
            make_optout_token(demo.pk, shipment.recipient_email or shipment.recipient_phone)]), None),
        ("shopper-not-found", "/track/no-longer-valid/", None),
    ]


def shoot(base: str, targets: list[tuple[str, str, str | None]], only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from brands.demo import DEMO_EMAIL, DEMO_PASSWORD

    logins = {"demo": (DEMO_EMAIL, DEMO_PASSWORD), "lite": ("lite@parcelcast.test", DEMO_PASSWORD)}
    OUT.mkdir(exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for size_name, (width, height) in VIEWPORTS.items():
            contexts = {}
            for name, path, who in targets:
                if only and name not in only:
                    continue
                if who not in contexts:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    if who:
                        page = context.new_page()
                        page.goto(base + "/accounts/login/")
                        page.fill("#id_username", logins[who][0])
                        page.fill("#id_password", logins[who][1])
                        page.click("button[type=submit]")
                        page.wait_for_url("**/app/")
                        page.close()
                    contexts[who] = context
                page = contexts[who].new_page()
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                # A window as tall as the page, rather than a "full page" shot: Chromium paints frames
                # (the outbox's e-mails) only inside the window.
                full = page.evaluate("document.documentElement.scrollHeight")
                page.set_viewport_size({"width": width, "height": max(height, full)})
                page.wait_for_timeout(400)
                target = OUT / f"{name}-{size_name}.png"
                page.screenshot(path=str(target))
                written.append(target)
                page.close()
            for context in contexts.values():
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated page names")
    options = parser.parse_args()
    setup_django()
    seed()
    base = serve()
    targets = pages()  # before Playwright starts: its event loop makes this thread "async" to Django
    for path in shoot(base, targets, {name for name in options.only.split(",") if name}):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
