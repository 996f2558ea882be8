"""A WhatsApp message whose template Meta has not approved (or re-categorised) is not sent on
WhatsApp: held while approval is pending (within its news window), else the brand's fallback or
nothing. Without any template record the sending is exactly as before."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging import whatsapp_gate
from messaging.channels import channel_of
from messaging.dispatch import sending
from messaging.models import Message, MessageState
from messaging.services.whatsapp_template_events import whatsapp_template_event_apply
from messaging.tasks import release_scheduled_messages
from messaging.webhooks.whatsapp_templates_parse import STATUS_FIELD, TemplateEvent
from tests.factories.messaging import MessageFactory, WhatsAppTemplateFactory
from tests.factories.tracking import ShipmentFactory
from tests.messaging.dispatch.fallback.conftest import REACHED, WABA, of, policy

pytestmark = pytest.mark.django_db
NAME = "pc_out_for_delivery_v3"


def template(status="APPROVED", category="UTILITY", name=NAME, language="en"):
    return WhatsAppTemplateFactory(business_account_id=WABA, name=name, language=language, status=status,
                                   category=category)


def test_without_any_template_record_whatsapp_is_sent_as_before(shipment, move, gated):
    move(shipment, "out_for_delivery")

    assert of(shipment, "whatsapp").state in REACHED and of(shipment, "sms") is None


def test_an_approved_utility_template_is_sent(shipment, move, gated):
    template()

    move(shipment, "out_for_delivery")

    whatsapp = of(shipment, "whatsapp")
    assert (whatsapp.whatsapp_template, whatsapp.whatsapp_language) == (NAME, "en")
    assert whatsapp.state in REACHED and whatsapp.error_code == ""


def test_a_pending_template_holds_the_message_scheduled_and_an_approval_sends_it(
    shipment, move, gated, django_capture_on_commit_callbacks
):
    template(status="PENDING")
    template(name="pc_delivered_v3")  # another template approved: the business account is gated

    move(shipment, "out_for_delivery")

    whatsapp = of(shipment, "whatsapp")
    assert (whatsapp.state, whatsapp.error_code) == (MessageState.SCHEDULED, "template_not_approved")
    assert timezone.now() + dt.timedelta(minutes=14) < whatsapp.not_before <= timezone.now() + dt.timedelta(minutes=15)
    assert whatsapp.attempts == 0 and of(shipment, "sms") is None and len(gated.calls) == 0

    with django_capture_on_commit_callbacks(execute=True):
        whatsapp_template_event_apply(TemplateEvent(WABA, STATUS_FIELD, NAME, "en", status="APPROVED"))
    whatsapp.refresh_from_db()
    assert whatsapp.not_before <= timezone.now()  # due at once
    release_scheduled_messages()

    whatsapp.refresh_from_db()
    assert whatsapp.state in REACHED and whatsapp.error_code == "" and len(gated.calls) == 1


def test_a_message_still_waiting_when_its_news_window_closes_is_suppressed_as_stale(shipment, move, gated):
    template(status="PENDING")
    move(shipment, "out_for_delivery")
    whatsapp = of(shipment, "whatsapp")
    # 12 h later (out for delivery's news window), still not approved.
    Message.objects.filter(pk=whatsapp.pk).update(created_at=timezone.now() - dt.timedelta(hours=12, seconds=1),
                                                  not_before=timezone.now())

    release_scheduled_messages()

    whatsapp.refresh_from_db()
    assert (whatsapp.state, whatsapp.error_code) == (MessageState.SUPPRESSED, "stale_event")
    assert len(gated.calls) == 0


def test_the_hold_never_reaches_past_the_news_window(shipment, move, gated):
    template(status="PENDING")
    move(shipment, "out_for_delivery")
    whatsapp = of(shipment, "whatsapp")
    closes = timezone.now() + dt.timedelta(minutes=5)
    Message.objects.filter(pk=whatsapp.pk).update(created_at=closes - dt.timedelta(hours=12), not_before=timezone.now())

    release_scheduled_messages()

    whatsapp.refresh_from_db()
    assert whatsapp.state == MessageState.SCHEDULED and whatsapp.not_before == closes


@pytest.mark.parametrize("status", ["REJECTED", "PAUSED", "DISABLED"])
def test_a_template_that_cannot_be_used_sends_the_brands_fallback_instead(shipment, move, gated, status):
    template(status=status)

    move(shipment, "out_for_delivery")

    whatsapp, sms = of(shipment, "whatsapp"), of(shipment, "sms")
    assert (whatsapp.state, whatsapp.error_code) == (MessageState.EXPIRED, "template_not_approved")
    assert sms.fallback_of_id == whatsapp.pk and sms.state in REACHED
    assert len(gated.calls) == 0  # nothing went to Meta


def test_a_template_recategorised_as_marketing_sends_the_fallback(shipment, move, gated):
    template(status="APPROVED", category="MARKETING")

    move(shipment, "out_for_delivery")

    assert of(shipment, "whatsapp").state == MessageState.EXPIRED and of(shipment, "sms").state in REACHED


def test_without_a_fallback_a_rejected_template_suppresses_the_message(brand, shipment, move, gated):
    policy(brand, enabled=False)
    template(status="REJECTED")

    move(shipment, "out_for_delivery")

    whatsapp = of(shipment, "whatsapp")
    assert (whatsapp.state, whatsapp.error_code) == (MessageState.SUPPRESSED, "template_not_approved")
    assert of(shipment, "sms") is None and len(gated.calls) == 0


def test_a_batch_reads_the_template_records_once_not_per_message(brand, gated):
    template()
    messages = [MessageFactory(shipment=ShipmentFactory(brand=brand, status="out_for_delivery",
                                                        recipient_phone=f"+3161234{n:04d}"),
                               channel="whatsapp", whatsapp_template=NAME, whatsapp_language="en")
                for n in range(5)]

    with CaptureQueriesContext(connection) as cold:
        sending.send_batch([m.pk for m in messages[:3]])
    with CaptureQueriesContext(connection) as warm:
        sending.send_batch([m.pk for m in messages[3:]])

    assert sum("messaging_whatsapptemplate" in q["sql"] for q in cold.captured_queries) == 1
    assert sum("messaging_whatsapptemplate" in q["sql"] for q in warm.captured_queries) == 0
    assert Message.objects.filter(state=MessageState.SENT).count() == 5


def test_a_brand_sending_from_its_own_number_is_gated_on_its_own_business_accounts_templates(
    brand, shipment, move, gated
):
    from tests.factories.messaging import WhatsAppSenderFactory

    WhatsAppSenderFactory(brand=brand, business_account_id="waba-brand")
    template()  # approved at the platform's business account...
    WhatsAppTemplateFactory(business_account_id="waba-brand", name=NAME, language="en", status="PENDING")

    assert whatsapp_gate.business_accounts_of([MessageFactory.build(brand=brand)]) == {brand.pk: "waba-brand"}
    move(shipment, "out_for_delivery")

    whatsapp = of(shipment, "whatsapp")  # ...but pending at the brand's own: held
    assert (whatsapp.state, whatsapp.error_code) == (MessageState.SCHEDULED, "template_not_approved")
    whatsapp_gate.forget("waba-brand")


def test_a_delivery_photo_template_not_approved_yet_gives_way_to_the_plain_delivered_template(brand, gated):
    template(name="pc_delivered_v3")
    template(name="pc_delivered_photo_v1", status="PENDING")
    message = MessageFactory(brand=brand, channel="whatsapp", trigger_status="delivered", whatsapp_language="en",
                             whatsapp_template="pc_delivered_photo_v1",
                             whatsapp_header_image="https://pod.example/p.jpg")

    assert whatsapp_gate.verdicts([message]) == {}  # it goes...

    message.refresh_from_db()  # ...as the plain delivered template, without the picture
    assert (message.whatsapp_template, message.whatsapp_header_image) == ("pc_delivered_v3", "")


def test_a_session_reply_is_never_gated_on_templates(brand, gated):
    """A free-form answer inside the 24-hour window uses no template: Meta's template states
    neither hold it nor give it a template name."""
    template(status="PENDING")  # the business account is gated
    reply = MessageFactory(brand=brand, channel="whatsapp", kind="session", trigger_status="out_for_delivery",
                           whatsapp_template="", whatsapp_language="")

    assert channel_of("whatsapp").gate([reply]) == {}

    reply.refresh_from_db()
    assert reply.whatsapp_template == ""


def test_a_merchants_reply_goes_to_meta_on_a_gated_business_account(brand, shipment, gated):
    template()  # the business account has template records
    reply = MessageFactory(brand=brand, shipment=shipment, channel="whatsapp", kind="session",
                           trigger_status="out_for_delivery", recipient="+31612345678", body="On its way!",
                           whatsapp_template="", whatsapp_language="", state=MessageState.QUEUED)

    sending.send_batch([reply.pk])

    reply.refresh_from_db()
    assert reply.state in REACHED and reply.error_code == "" and len(gated.calls) == 1
    assert "template" not in json.loads(gated.calls[0].request.body)  # free-form text, no template
