"""`sync_templates`: one paged list, POSTs only for the missing platform templates, Meta's answers recorded."""

import pytest

from messaging.models import WhatsAppTemplate
from messaging.services.whatsapp_template_sync import sync_templates
from messaging.whatsapp_registration import registrations
from tests.factories.messaging import WhatsAppTemplateFactory
from tests.messaging.whatsapp_templates.meta import BASE, LIST_URL, WABA, creations, list_pages, listed, posted

pytestmark = pytest.mark.django_db


def sync(**extra):
    return sync_templates(business_account_id=WABA, access_token="token", base_url=BASE, **extra)


def every_platform_template(**overrides):
    return [listed(item.name, item.language, **overrides) for item in registrations()]


def test_sync_pages_through_the_list_and_registers_only_the_missing_templates(platform_waba):
    present = every_platform_template()
    missing = [t for t in present if t["name"] == "pc_delivered_v3" and t["language"] in ("fr", "de")]
    others = [t for t in present if t not in missing]
    list_pages(platform_waba, others[:40], others[40:] + [listed("hello_world", "en_US")])
    creations(platform_waba)

    report = sync()

    assert sorted(report.created) == ["pc_delivered_v3/de", "pc_delivered_v3/fr"]
    assert report.listed == 329 and report.calls == 4 and report.ok  # two pages, two creations
    bodies = posted(platform_waba)
    assert {(b["name"], b["language"]) for b in bodies} == {("pc_delivered_v3", "fr"), ("pc_delivered_v3", "de")}
    assert all(b["category"] == "UTILITY" and b["message_send_ttl_seconds"] == 43200 for b in bodies)
    assert WhatsAppTemplate.objects.filter(business_account_id=WABA).count() == 331
    created = WhatsAppTemplate.objects.get(name="pc_delivered_v3", language="fr")
    assert (created.status, created.category, created.quality) == ("PENDING", "UTILITY", "UNKNOWN")
    assert created.components[-1]["type"] == "BUTTONS" and created.message_send_ttl_seconds == 43200
    assert WhatsAppTemplate.objects.get(name="hello_world").status == "APPROVED"  # not ours, still recorded


def test_sync_records_status_category_quality_and_rejection_reason_from_the_list(platform_waba):
    rows = every_platform_template()
    rows[0] |= {"status": "REJECTED", "rejected_reason": "INVALID_FORMAT"}
    rows[1] |= {"category": "MARKETING", "quality_score": {"score": "YELLOW"}}
    list_pages(platform_waba, rows)

    report = sync()

    assert report.created == [] and report.calls == 1  # nothing missing: one call only
    first = WhatsAppTemplate.objects.get(name=rows[0]["name"], language=rows[0]["language"])
    second = WhatsAppTemplate.objects.get(name=rows[1]["name"], language=rows[1]["language"])
    assert (first.status, first.rejection_reason) == ("REJECTED", "INVALID_FORMAT")
    assert (second.category, second.quality) == ("MARKETING", "YELLOW")


def test_a_record_meta_no_longer_lists_is_registered_again(platform_waba):
    WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delivered_v3", language="it", status="APPROVED")
    list_pages(platform_waba, [t for t in every_platform_template()
                               if (t["name"], t["language"]) != ("pc_delivered_v3", "it")])
    creations(platform_waba)

    report = sync()

    assert report.created == ["pc_delivered_v3/it"]
    assert WhatsAppTemplate.objects.get(name="pc_delivered_v3", language="it").status == "PENDING"


def test_a_spent_management_budget_stops_the_sync_and_defers_the_rest(platform_waba):
    list_pages(platform_waba, [])
    platform_waba.post(LIST_URL, status=400, json={"error": {
        "code": 80008, "message": "There have been too many calls to this WhatsApp Business account."}})

    report = sync()

    assert report.created == [] and "80008" in report.error and len(report.deferred) == 330
    assert report.calls == 2  # the list and the one refused POST: no hammering


def test_a_template_meta_refuses_is_reported_and_the_others_go_on(platform_waba):
    list_pages(platform_waba, every_platform_template()[2:])
    platform_waba.post(LIST_URL, status=400, json={"error": {"code": 100, "message": "Invalid parameter",
                                                             "error_user_msg": "Body has too many variables"}})
    creations(platform_waba)

    report = sync()

    assert len(report.failed) == 1 and "too many variables" in next(iter(report.failed.values()))
    assert len(report.created) == 1 and not report.error


def test_a_refused_token_while_listing_stops_before_any_creation(platform_waba):
    platform_waba.get(LIST_URL, status=401, json={"error": {"code": 190, "message": "Invalid OAuth access token"}})

    report = sync()

    assert "190" in report.error and report.calls == 1 and not WhatsAppTemplate.objects.exists()


def test_the_photo_variant_is_registered_with_the_configured_example_handle(platform_waba, settings):
    settings.WHATSAPP_TEMPLATE_HEADER_HANDLE = "4::aW1hZ2U="
    list_pages(platform_waba, every_platform_template())
    creations(platform_waba)

    report = sync()

    assert sorted(report.created) == [f"pc_delivered_photo_v1/{code}" for code in ("de", "en", "es", "fr", "it", "nl")]
    assert posted(platform_waba)[0]["components"][0]["format"] == "IMAGE"
