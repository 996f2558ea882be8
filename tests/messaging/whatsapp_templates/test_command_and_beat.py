"""`manage.py whatsapp_templates sync|list`, and the beat task that re-syncs sparingly."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from config.beat import BEAT_SCHEDULE
from messaging.models import WhatsAppTemplate
from messaging.tasks import sync_whatsapp_templates
from messaging.whatsapp_registration import registrations
from tests.factories.messaging import WhatsAppTemplateFactory
from tests.messaging.whatsapp_templates.meta import WABA, creations, list_pages, listed

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("whatsapp_templates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_sync_prints_progress_and_a_table_of_what_meta_says(platform_waba):
    present = [listed(r.name, r.language) for r in registrations()
               if (r.name, r.language) != ("pc_delivered_v3", "es")]
    present[0] |= {"status": "REJECTED"}
    list_pages(platform_waba, present)
    creations(platform_waba)

    out, err = run("sync")

    assert "Listing the templates of business account waba-platform..." in out
    assert "329 templates at Meta; 1 to register." in out
    assert "[1/1] registering pc_delivered_v3/es" in out
    assert re.search(r"^Listed 329, registered 1, refused 0, deferred 0 \(2 calls to Meta\) in \d+\.\d s\.$", out, re.MULTILINE)
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("NAME"))
    assert header.split() == ["NAME", "LANGUAGE", "STATUS", "CATEGORY", "QUALITY"]
    assert any(line.split() == ["pc_delivered_v3", "es", "PENDING", "UTILITY", "UNKNOWN"] for line in lines)
    assert any(line.split()[2] == "REJECTED" for line in lines if line.startswith("pc_"))
    assert "330 templates in business account waba-platform, 328 approved as utility." in out
    assert err == ""


def test_sync_of_another_business_account(platform_waba, settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = ""
    list_pages(platform_waba, [listed(r.name, r.language) for r in registrations()])

    # The replayed URL is the platform's WABA: passing it explicitly is what the option is for.
    out, _ = run("sync", "--business-account", WABA)

    assert "330 templates in business account waba-platform" in out


def test_a_stopped_sync_says_why_on_stderr(platform_waba):
    platform_waba.get(f"https://graph.facebook.com/v23.0/{WABA}/message_templates", status=401,
                      json={"error": {"code": 190, "message": "Error validating access token"}})

    _, err = run("sync")

    assert "stopped early: Meta HTTP 401 error 190: Error validating access token (330 left for the next sync)" in err


def test_list_shows_the_records_without_calling_meta(platform_waba):
    WhatsAppTemplateFactory(business_account_id=WABA, name="pc_delayed_v3", language="it", status="PAUSED",
                            quality="RED")

    out, _ = run("list")

    assert any(line.split() == ["pc_delayed_v3", "it", "PAUSED", "UTILITY", "RED"] for line in out.splitlines())
    assert len(platform_waba.calls) == 0


def test_without_a_business_account_the_command_says_what_to_set(settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = ""

    with pytest.raises(CommandError, match="WHATSAPP_BUSINESS_ACCOUNT_ID"):
        run("list")


def test_the_beat_task_syncs_the_platform_business_account(platform_waba):
    list_pages(platform_waba, [])
    creations(platform_waba)

    sync_whatsapp_templates()

    assert WhatsAppTemplate.objects.filter(business_account_id=WABA).count() == 330  # 66 plain templates, 264 short-lived ones (fallback brands)


def test_the_beat_task_does_nothing_without_a_business_account(settings):
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = ""

    sync_whatsapp_templates()  # no HTTP at all: `responses` is not even active

    assert not WhatsAppTemplate.objects.exists()


def test_the_re_sync_runs_every_six_hours():
    entry = BEAT_SCHEDULE["sync-whatsapp-templates"]

    assert entry["task"] == "messaging.tasks.sync_whatsapp_templates"
    assert entry["schedule"].hour == {0, 6, 12, 18}
