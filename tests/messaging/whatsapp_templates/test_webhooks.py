"""The three template webhook fields, through the signed WhatsApp webhook, move the records at once."""

import datetime as dt

import pytest
from django.utils import timezone

from messaging.models import MessageState, WhatsAppTemplate
from messaging.webhooks.whatsapp_parse import parse
from tests.factories.messaging import MessageFactory, WhatsAppTemplateFactory
from tests.messaging.dispatch.test_webhook_views import signed_post, webhook_settings  # noqa: F401
from tests.messaging.whatsapp_templates.meta import WABA

pytestmark = pytest.mark.django_db
NAME = "pc_delivered_v3"


def envelope(field, value):
    return {"object": "whatsapp_business_account",
            "entry": [{"id": WABA, "time": 1764633600, "changes": [{"field": field, "value": value}]}]}


def status_update(event, reason="NONE", name=NAME, language="en"):
    return envelope("message_template_status_update", {
        "event": event, "message_template_id": 594425479261596, "message_template_name": name,
        "message_template_language": language, "reason": reason})


@pytest.fixture
def record():
    return WhatsAppTemplateFactory(business_account_id=WABA, name=NAME, language="en", status="PENDING",
                                   meta_id="594425479261596", synced_at=timezone.now() - dt.timedelta(days=1))


def test_an_approval_moves_the_record_at_once(client, record):
    assert signed_post(client, status_update("APPROVED")).status_code == 200

    record.refresh_from_db()
    assert record.status == "APPROVED" and record.synced_at > timezone.now() - dt.timedelta(minutes=1)


def test_a_rejection_records_metas_reason(client, record):
    signed_post(client, status_update("REJECTED", reason="INCORRECT_CATEGORY"))

    record.refresh_from_db()
    assert (record.status, record.rejection_reason) == ("REJECTED", "INCORRECT_CATEGORY")


@pytest.mark.parametrize("event", ["PAUSED", "DISABLED"])
def test_a_paused_or_disabled_template_is_recorded(client, record, event):
    record.status = "APPROVED"
    record.save()

    signed_post(client, status_update(event))

    record.refresh_from_db()
    assert record.status == event


def test_a_status_update_for_an_unknown_template_creates_its_record(client):
    signed_post(client, status_update("APPROVED", name="pc_delayed_v3", language="nl"))

    row = WhatsAppTemplate.objects.get(business_account_id=WABA, name="pc_delayed_v3", language="nl")
    assert row.status == "APPROVED" and row.meta_id == "594425479261596"


def test_a_recategorisation_as_marketing_is_recorded_and_clears_the_time_to_live(client, record):
    record.status, record.message_send_ttl_seconds = "APPROVED", 43200
    record.save()

    signed_post(client, envelope("template_category_update", {
        "message_template_id": 594425479261596, "message_template_name": NAME, "message_template_language": "en",
        "previous_category": "UTILITY", "new_category": "MARKETING"}))

    record.refresh_from_db()
    assert (record.category, record.message_send_ttl_seconds) == ("MARKETING", None)


def test_an_announced_recategorisation_changes_nothing_yet(client, record):
    signed_post(client, envelope("template_category_update", {
        "message_template_id": 594425479261596, "message_template_name": NAME, "message_template_language": "en",
        "previous_category": "UTILITY", "correct_category": "MARKETING"}))

    record.refresh_from_db()
    assert record.category == "UTILITY"


def test_a_quality_update_is_recorded(client, record):
    signed_post(client, envelope("message_template_quality_update", {
        "previous_quality_score": "GREEN", "new_quality_score": "RED", "message_template_id": 594425479261596,
        "message_template_name": NAME, "message_template_language": "en"}))

    record.refresh_from_db()
    assert record.quality == "RED"


def test_an_approval_makes_the_messages_waiting_on_the_template_due(client, record, django_capture_on_commit_callbacks):
    later = timezone.now() + dt.timedelta(minutes=10)
    waiting = MessageFactory(channel="whatsapp", state=MessageState.SCHEDULED, error_code="template_not_approved",
                             whatsapp_template=NAME, whatsapp_language="en", not_before=later)
    other = MessageFactory(channel="whatsapp", state=MessageState.SCHEDULED, error_code="template_not_approved",
                           whatsapp_template=NAME, whatsapp_language="fr", not_before=later)

    with django_capture_on_commit_callbacks(execute=True):
        signed_post(client, status_update("APPROVED"))

    waiting.refresh_from_db(), other.refresh_from_db()
    assert waiting.not_before <= timezone.now() and other.not_before == later


def test_an_unsigned_template_update_is_refused_and_changes_nothing(client, record):
    assert signed_post(client, status_update("APPROVED"), secret="wrong").status_code == 403

    record.refresh_from_db()
    assert record.status == "PENDING"


def test_template_fields_are_parsed_beside_message_statuses_and_odd_items_are_skipped():
    payload = status_update("APPROVED")
    payload["entry"][0]["changes"] += [
        {"field": "message_template_status_update", "value": {"event": "APPROVED"}},  # no name: skipped
        {"field": "messages", "value": {"statuses": []}},
    ]

    parsed = parse(payload)

    assert [(t.business_account_id, t.name, t.language, t.status) for t in parsed.templates] == [
        (WABA, NAME, "en", "APPROVED")]
