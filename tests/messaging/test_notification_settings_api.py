"""The channel document API: /api/v1/brands/{id}/notifications/ (API.md)."""

import pytest

from brands.models import Plan
from messaging.models import ChannelCountry, ChannelSetting, StatusToggle
from tests.factories import AccountFactory, ApiKeyFactory, BrandFactory
from tests.factories.billing import plans  # noqa: F401 - fixture
from tests.factories.messaging import WhatsAppConsentFactory
from tracking.statuses import ALL_CODES

pytestmark = pytest.mark.usefixtures("plans")

ALL_ON = dict.fromkeys(ALL_CODES, True)


def url(brand, channel=None):
    base = f"/api/v1/brands/{brand.pk}/notifications/"
    return f"{base}{channel}/" if channel else base


def put(api, brand, channel, countries, enabled=True, **extra):
    return api.put(url(brand, channel), {"enabled": enabled, "countries": countries, **extra}, format="json")


def snapshot(account):
    """Everything the settings of an account consist of, to compare before/after."""
    return (
        sorted(ChannelSetting.objects.for_account(account).values_list("brand_id", "channel", "enabled")),
        sorted(ChannelCountry.objects.for_account(account).values_list("setting__brand_id", "setting__channel", "country")),
        sorted(
            StatusToggle.objects.for_account(account).values_list(
                "channel_country__setting__brand_id", "channel_country__country", "status", "enabled"
            )
        ),
    )


@pytest.fixture
def consented(account):
    return WhatsAppConsentFactory(account=account)


def set_plan(account, plan):
    account.plan = plan
    account.save(update_fields=["plan"])


def test_a_new_brand_has_three_switched_off_channel_documents(api, brand):
    response = api.get(url(brand))

    assert response.status_code == 200
    assert response.json() == [
        {"channel": "email", "enabled": False, "countries": {}},
        {"channel": "sms", "enabled": False, "countries": {}},
        {"channel": "whatsapp", "enabled": False, "countries": {}},
    ]


def test_a_country_given_without_statuses_gets_every_status_on(api, brand):
    response = put(api, brand, "email", {"NL": {}})

    assert response.status_code == 200, response.json()
    assert response.json() == {"channel": "email", "enabled": True, "countries": {"NL": ALL_ON}}
    assert api.get(url(brand, "email")).json()["countries"]["NL"] == ALL_ON


def test_missing_statuses_are_on_and_given_ones_are_kept(api, brand):
    response = put(api, brand, "sms", {"BE": {"delivered": False, "delayed": True}})

    assert response.status_code == 200
    assert response.json()["countries"]["BE"] == {**ALL_ON, "delivered": False}
    assert StatusToggle.objects.for_account(brand.account).filter(enabled=False).count() == 1


def test_a_null_country_value_means_every_status_on(api, brand):
    response = put(api, brand, "sms", {"BE": None})

    assert response.status_code == 200
    assert response.json()["countries"] == {"BE": ALL_ON}


def test_removing_a_country_removes_its_toggles(api, brand):
    put(api, brand, "email", {"NL": {}, "BE": {"delivered": False}})

    response = put(api, brand, "email", {"NL": {}})

    assert response.json()["countries"] == {"NL": ALL_ON}
    assert not ChannelCountry.objects.for_account(brand.account).filter(country="BE").exists()
    assert StatusToggle.objects.for_account(brand.account).filter(channel_country__country="BE").count() == 0
    assert StatusToggle.objects.for_account(brand.account).count() == len(ALL_CODES)


def test_put_replaces_toggles_in_place(api, brand):
    put(api, brand, "email", {"NL": {}})
    before = set(StatusToggle.objects.for_account(brand.account).values_list("pk", flat=True))

    response = put(api, brand, "email", {"NL": {"in_transit": False}})

    assert response.json()["countries"]["NL"]["in_transit"] is False
    assert set(StatusToggle.objects.for_account(brand.account).values_list("pk", flat=True)) == before


def test_switching_a_channel_off_keeps_its_countries(api, brand):
    put(api, brand, "sms", {"NL": {}})

    response = put(api, brand, "sms", {"NL": {}}, enabled=False)

    assert response.json() == {"channel": "sms", "enabled": False, "countries": {"NL": ALL_ON}}


def test_settings_of_one_brand_never_touch_another(api, account):
    first, second = BrandFactory(account=account), BrandFactory(account=account)
    put(api, first, "email", {"NL": {}})
    put(api, second, "email", {"NL": {}})

    put(api, first, "email", {"NL": {"delivered": False}, "DE": {}})

    assert api.get(url(second, "email")).json()["countries"] == {"NL": ALL_ON}
    assert set(api.get(url(first, "email")).json()["countries"]) == {"NL", "DE"}


@pytest.mark.parametrize("country", ["XX", "nl", "NLD", "", "1", "N"])
def test_an_unknown_country_is_refused_naming_countries(api, brand, country):
    response = put(api, brand, "email", {"NL": {}, country: {}})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_country"
    assert "ISO 3166-1 alpha-2" in body["countries"][0]


def test_an_unknown_status_is_refused_naming_it(api, brand):
    response = put(api, brand, "email", {"NL": {"teleported": True}})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_status"
    assert "'teleported'" in response.json()["countries"][0]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"enabled": "yes", "countries": {}}, "enabled"),
        ({"enabled": True}, "countries"),
        ({"enabled": True, "countries": ["NL"]}, "countries"),
        ({"enabled": True, "countries": {"NL": ["delivered"]}}, "countries"),
        ({"enabled": True, "countries": {"NL": {"delivered": "false"}}}, "countries"),
        ({"channel": "sms", "enabled": True, "countries": {}}, "channel"),
    ],
)
def test_a_malformed_document_is_refused_naming_the_field(api, brand, body, field):
    response = api.put(url(brand, "email"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_an_unknown_channel_in_the_url_is_404(api, brand):
    assert api.get(url(brand, "fax")).status_code == 404
    assert put(api, brand, "fax", {}).status_code == 404


def test_a_refused_put_changes_nothing(api, account, brand):
    put(api, brand, "email", {"NL": {}, "BE": {"delivered": False}})
    before = snapshot(account)

    response = put(api, brand, "email", {"FR": {}, "DE": {}, "ZZ": {}}, enabled=False)

    assert response.status_code == 400
    assert snapshot(account) == before


def test_brands_of_another_account_answer_404(api, outsider_api, brand):
    put(api, brand, "email", {"NL": {}})
    before = snapshot(brand.account)

    assert outsider_api.get(url(brand)).status_code == 404
    assert outsider_api.get(url(brand, "email")).status_code == 404
    assert put(outsider_api, brand, "email", {}).status_code == 404
    assert snapshot(brand.account) == before


def test_anonymous_requests_are_refused(client, brand):
    assert client.get(url(brand)).status_code == 401


# --- WhatsApp: plan and consent ----------------------------------------------------------------


def test_whatsapp_without_consent_is_refused_with_consent_required(api, brand):
    response = put(api, brand, "whatsapp", {"NL": {}})

    assert response.status_code == 400
    assert response.json()["code"] == "consent_required"
    assert "enabled" in response.json()
    assert not ChannelSetting.objects.for_account(brand.account).exists()


def test_whatsapp_can_be_configured_switched_off_without_consent(api, brand):
    response = put(api, brand, "whatsapp", {"NL": {}}, enabled=False)

    assert response.status_code == 200


def test_whatsapp_with_consent_is_switched_on(api, brand, consented):
    response = put(api, brand, "whatsapp", {"NL": {}})

    assert response.status_code == 200
    assert response.json() == {"channel": "whatsapp", "enabled": True, "countries": {"NL": ALL_ON}}


def test_the_free_plan_cannot_switch_whatsapp_on(api, account, brand, consented):
    set_plan(account, Plan.FREE)

    response = put(api, brand, "whatsapp", {"NL": {}})

    assert response.status_code == 400
    assert response.json()["code"] == "plan_limit"
    assert "Free plan does not include WhatsApp" in response.json()["enabled"][0]
    assert "upgrade to Lite" in response.json()["enabled"][0]


def test_the_free_plan_may_still_use_email_and_sms(api, account, brand):
    set_plan(account, Plan.FREE)

    assert put(api, brand, "email", {"NL": {}}).status_code == 200
    assert put(api, brand, "sms", {"NL": {}}).status_code == 200


def test_lite_allows_two_whatsapp_countries_across_brands(api, account, consented):
    set_plan(account, Plan.LITE)
    first, second = BrandFactory(account=account), BrandFactory(account=account)
    assert put(api, first, "whatsapp", {"NL": {}, "BE": {}}).status_code == 200

    refused = put(api, second, "whatsapp", {"DE": {}})
    reused = put(api, second, "whatsapp", {"NL": {}})

    assert refused.status_code == 400
    assert refused.json()["code"] == "plan_limit"
    assert refused.json()["countries"] == [
        "The Lite plan allows WhatsApp in 2 destination countries across the account "
        "(BE, NL already used by other brands); upgrade to Growth for more."
    ]
    assert reused.status_code == 200


def test_lite_refuses_three_countries_on_one_brand(api, account, brand, consented):
    set_plan(account, Plan.LITE)

    response = put(api, brand, "whatsapp", {"NL": {}, "BE": {}, "DE": {}})

    assert response.status_code == 400
    assert "3 requested: BE, DE, NL" in response.json()["countries"][0]


def test_lite_counts_only_whatsapp_channels_that_are_on(api, account, consented):
    set_plan(account, Plan.LITE)
    parked, live = BrandFactory(account=account), BrandFactory(account=account)
    put(api, parked, "whatsapp", {"NL": {}, "BE": {}}, enabled=False)

    assert put(api, live, "whatsapp", {"DE": {}, "FR": {}}).status_code == 200
    assert put(api, parked, "whatsapp", {"NL": {}, "BE": {}}).status_code == 400


def test_lite_does_not_count_email_and_sms_countries(api, account, brand, consented):
    set_plan(account, Plan.LITE)
    put(api, brand, "email", {"NL": {}, "BE": {}, "DE": {}})

    assert put(api, brand, "whatsapp", {"FR": {}, "IT": {}}).status_code == 200


def test_an_account_over_its_limit_may_keep_or_reduce_but_not_add(api, account, consented):
    first, second = BrandFactory(account=account), BrandFactory(account=account)
    put(api, first, "whatsapp", {"NL": {}, "BE": {}, "DE": {}})  # allowed on growth
    set_plan(account, Plan.LITE)  # e.g. an admin changed the plan directly

    assert put(api, first, "whatsapp", {"NL": {"delivered": False}, "BE": {}, "DE": {}}).status_code == 200
    assert put(api, first, "whatsapp", {"NL": {}, "BE": {}}).status_code == 200
    assert put(api, second, "whatsapp", {"FR": {}}).status_code == 400


def test_a_refused_whatsapp_put_changes_nothing(api, account, consented):
    set_plan(account, Plan.LITE)
    first, second = BrandFactory(account=account), BrandFactory(account=account)
    put(api, first, "whatsapp", {"NL": {}, "BE": {}})
    put(api, second, "whatsapp", {"NL": {"delivered": False}}, enabled=False)
    before = snapshot(account)

    response = put(api, second, "whatsapp", {"NL": {}, "DE": {}})

    assert response.status_code == 400
    assert snapshot(account) == before


def test_whatsapp_limits_of_one_account_ignore_other_accounts(api, account, consented):
    set_plan(account, Plan.LITE)
    other = AccountFactory(plan=Plan.LITE)
    WhatsAppConsentFactory(account=other)
    other_api_key = ApiKeyFactory(account=other)
    from tests.conftest import client_for

    other_brand = BrandFactory(account=other)
    assert put(client_for(other_api_key), other_brand, "whatsapp", {"FR": {}, "IT": {}}).status_code == 200

    assert put(api, BrandFactory(account=account), "whatsapp", {"NL": {}, "BE": {}}).status_code == 200
