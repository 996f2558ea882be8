"""Merchant text, brand names and carrier texts holding HTML/JS or template syntax are shown
escaped (never run, never evaluated) on the tracking pages, in e-mails and in the panel."""

import pytest
from django.urls import NoReverseMatch, reverse

from messaging.dispatch.composing import compose
from tests.factories import BrandFactory, MembershipFactory, ShipmentFactory, TemplateOverrideFactory
from tracking.services import event_record

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, IMG, "{{ 7*7 }}", "{% debug %}", "<<companyname>>")
EVIL = " ".join(PAYLOADS)  # 78 characters: fits a brand name


def assert_inert(html: str):
    assert SCRIPT not in html, "a <script> tag came through unescaped"
    assert "<img src=x onerror" not in html, "an event handler came through unescaped"
    assert "<!-- debug" not in html.lower() and "sql_queries" not in html


@pytest.fixture
def evil_brand(account):
    return BrandFactory(account=account, name=EVIL[:100], slug="evil", support_email="help@evil.example")


@pytest.fixture
def evil_shipment(evil_brand):
    shipment = ShipmentFactory(brand=evil_brand, recipient_name=IMG, order_number=SCRIPT[:64],
                               recipient_email="shopper@example.com", carrier="manual")
    event_record(shipment=shipment, status="in_transit", occurred_at=shipment.created_at,
                 description=EVIL, location=IMG, external_id="evil-1")
    return shipment


def test_the_tracking_page_escapes_brand_and_carrier_texts(client, evil_shipment):
    response = client.get(f"/track/{evil_shipment.tracking_token}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert_inert(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "{% debug %}" in html  # shown as text, not evaluated


def test_the_lookup_page_escapes_the_brand_name(client, evil_brand):
    html = client.get("/track/b/evil/").content.decode()
    assert_inert(html)
    assert "&lt;script&gt;" in html


def test_emails_escape_values_and_merchant_text_but_keep_tags_as_plain_substitution(evil_shipment, evil_brand):
    TemplateOverrideFactory(
        brand=evil_brand, channel="email", status="in_transit", language="en",
        subject="<<companyname>> {{ 7*7 }}",
        body=f"Hi <<customer_name>> {SCRIPT} {{% debug %}} {{{{ 7*7 }}}} <<unsubscribe_url>>",
    )

    composed = compose(brand=evil_brand, shipment=evil_shipment, channel="email", status="in_transit")

    assert_inert(composed.html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in composed.html
    assert "{% debug %}" in composed.html and "{{ 7*7 }}" in composed.html
    # a value that looks like a tag is not expanded again (no second pass over values)
    assert composed.subject.count("<<companyname>>") == 1 and composed.subject.startswith(SCRIPT)
    assert "{{ 7*7 }}" in composed.subject


def panel_urls(brand, shipment):
    candidates = [
        ("panel:brand-list", []), ("panel:brand-edit", [brand.pk]), ("panel:dashboard", []),
        ("panel:shipment-list", []), ("panel:shipment-detail", [shipment.pk]), ("panel:message-list", []),
        ("panel:outbox", []), ("panel:notifications", [brand.pk, "email"]),
        ("panel:template-editor", [brand.pk, "email"]), ("panel:templates-home", []),
    ]
    for name, args in candidates:
        try:
            yield reverse(name, args=args)
        except NoReverseMatch:  # a page the panel does not have (yet)
            continue


def test_the_panel_pages_that_exist_escape_merchant_and_carrier_texts(client, account, evil_brand, evil_shipment):
    TemplateOverrideFactory(brand=evil_brand, channel="email", status="delivered", language="en",
                            subject=f"{SCRIPT}", body=f"{IMG} {SCRIPT} <<unsubscribe_url>>")
    client.force_login(MembershipFactory(account=account).user)

    checked = 0
    for url in panel_urls(evil_brand, evil_shipment):
        response = client.get(url)
        if response.status_code != 200:
            continue
        assert_inert(response.content.decode())
        checked += 1
    assert checked >= 3
