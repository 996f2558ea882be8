"""The spend cap's alerts: one e-mail to the owners when the month reaches the alert threshold,
one more when it reaches the cap, never again for the same threshold however many waves pass it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from billing.spend import spend_cap_set
from billing.spend_emails import spend_alert_send
from billing.spend_models import SpendAlert
from brands.models import Membership, Role
from tests.billing.conftest import accept_whatsapp
from tests.factories import MembershipFactory
from tests.factories.billing import SpendAlertFactory, SpendCapFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plans(plans):
    return plans


@pytest.fixture
def owner(account):
    return MembershipFactory(account=account, role=Role.OWNER, user__email="owner@acme.test").user


@pytest.fixture
def cap(account, owner):
    """EUR 50.00, alert at 80% (EUR 40.00), fallback at the cap."""
    return SpendCapFactory(account=account, monthly_cap=Decimal("50.00"), alert_at_percent=80)


def alerts(account) -> list[int]:
    return sorted(SpendAlert.objects.for_account(account).values_list("percent", flat=True))


def test_no_alert_below_the_threshold(account, brand, cap):
    accept_whatsapp(brand, ["10.00"] * 3)  # 30.00 of 50.00: 60%

    assert alerts(account) == []
    assert mail.outbox == []


def test_the_owners_get_one_email_when_the_month_reaches_the_alert_threshold(account, brand, cap, owner):
    MembershipFactory(account=account, role=Role.MEMBER, user__email="member@acme.test")
    accept_whatsapp(brand, ["10.00"] * 3)

    accept_whatsapp(brand, ["10.00"])  # 40.00: 80%

    assert alerts(account) == [80]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["owner@acme.test"]
    assert "80%" in email.subject and "EUR 50.00" in email.subject
    assert "EUR 40.00" in email.body and "fallback channels" in email.body
    assert "/app/billing/#spend-cap" in email.body


def test_further_waves_past_the_threshold_send_nothing_more(account, brand, cap):
    accept_whatsapp(brand, ["40.00"])
    accept_whatsapp(brand, ["1.00"])
    accept_whatsapp(brand, ["1.00"])

    assert alerts(account) == [80]
    assert len(mail.outbox) == 1


def test_reaching_the_cap_sends_a_second_email_saying_what_happens_now(account, brand, cap):
    accept_whatsapp(brand, ["40.00"])

    accept_whatsapp(brand, ["10.00"])  # 50.00: the cap

    assert alerts(account) == [80, 100]
    assert len(mail.outbox) == 2
    reached = mail.outbox[1]
    assert "cap reached" in reached.subject and "SMS or e-mail" in reached.subject
    assert "go by your brands' fallback channels" in reached.body


def test_a_paused_cap_says_whatsapp_messages_are_held(account, brand, cap):
    cap.on_cap = "pause"
    cap.save()

    accept_whatsapp(brand, ["50.00"])

    assert "WhatsApp messages paused" in mail.outbox[-1].subject
    assert "are held, not sent" in mail.outbox[-1].body


def test_a_wave_passing_both_thresholds_sends_only_the_cap_email(account, brand, cap):
    accept_whatsapp(brand, ["30.00", "30.00"])

    assert alerts(account) == [80, 100]
    assert len(mail.outbox) == 1
    assert "cap reached" in mail.outbox[0].subject


def test_a_cap_set_below_the_months_spend_alerts_at_once(account, brand, owner, django_capture_on_commit_callbacks):
    accept_whatsapp(brand, ["30.00"])

    with django_capture_on_commit_callbacks(execute=True):
        spend_cap_set(account=account, monthly_cap=Decimal("25.00"))

    assert alerts(account) == [80, 100]
    assert len(mail.outbox) == 1
    assert "cap reached" in mail.outbox[0].subject


def test_a_raised_cap_alerts_again_when_it_is_reached(account, brand, cap, django_capture_on_commit_callbacks):
    accept_whatsapp(brand, ["50.00"])
    with django_capture_on_commit_callbacks(execute=True):
        spend_cap_set(account=account, monthly_cap=Decimal("100.00"))
    assert len(mail.outbox) == 1  # 50.00 is only 50% of the new cap

    accept_whatsapp(brand, ["50.00"])

    assert len(mail.outbox) == 2
    assert "EUR 100.00" in mail.outbox[1].body


def test_last_months_alerts_do_not_silence_this_months(account, brand, cap):
    last_month = (timezone.now().replace(day=1) - dt.timedelta(days=1)).date().replace(day=1)
    SpendAlertFactory(account=account, month=last_month, percent=80, monthly_cap=cap.monthly_cap)

    accept_whatsapp(brand, ["40.00"])

    assert len(mail.outbox) == 1


def test_another_accounts_spend_never_alerts_this_one(account, brand, cap, outsider):
    from tests.factories import BrandFactory

    accept_whatsapp(BrandFactory(account=outsider), ["100.00"])

    assert alerts(account) == []
    assert mail.outbox == []


def test_an_account_without_a_cap_gets_no_alert(account, brand, owner):
    accept_whatsapp(brand, ["1000.00"])

    assert alerts(account) == []
    assert mail.outbox == []


def test_a_redelivered_alert_task_sends_nothing(account, cap, owner):
    alert = SpendAlertFactory(account=account)

    assert spend_alert_send(alert_id=alert.pk) is True
    assert spend_alert_send(alert_id=alert.pk) is False

    assert len(mail.outbox) == 1


def test_a_failed_send_gives_the_claim_back_for_the_retry(account, cap, owner, monkeypatch):
    alert = SpendAlertFactory(account=account)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("billing.spend_emails.send_mail", refuse)
    with pytest.raises(ConnectionRefusedError):
        spend_alert_send(alert_id=alert.pk)
    monkeypatch.undo()

    alert.refresh_from_db()
    assert alert.emailed_at is None
    assert spend_alert_send(alert_id=alert.pk) is True


def test_an_owner_who_chose_dutch_gets_the_alert_in_dutch(account, cap, owner):
    Membership.objects.filter(user=owner).update(language="nl")
    alert = SpendAlertFactory(account=account, month=dt.date(2026, 3, 1), percent=80)

    assert spend_alert_send(alert_id=alert.pk) is True

    (email,) = mail.outbox
    assert email.to == ["owner@acme.test"]
    assert (
        email.subject == "WhatsApp-uitgaven op 80% van uw plafond van EUR 50,00 voor maart 2026"
    )  # amounts as written in Dutch
    assert email.body.startswith("Hallo,")
    assert "terugvalkanalen van uw merken" in email.body and "fallback channels" not in email.body


def test_owners_without_a_saved_language_get_english_each_owner_their_own(account, cap, owner):
    MembershipFactory(account=account, role=Role.OWNER, user__email="eigentuemer@acme.test", language="de")
    alert = SpendAlertFactory(account=account, month=dt.date(2026, 3, 1), percent=80)

    assert spend_alert_send(alert_id=alert.pk) is True

    by_recipient = {tuple(email.to): email for email in mail.outbox}
    assert set(by_recipient) == {("owner@acme.test",), ("eigentuemer@acme.test",)}
    assert by_recipient[("owner@acme.test",)].subject == "WhatsApp spend at 80% of your EUR 50.00 cap for March 2026"
    assert by_recipient[("eigentuemer@acme.test",)].subject == (
        "WhatsApp-Ausgaben bei 80 % Ihres Limits von EUR 50,00 für März 2026"
    )
