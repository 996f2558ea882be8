"""A sending-policy number out of range: the panel says it in the member's language and in a form's
words (no "null", which nobody types in a field); the API keeps its English answer and shape."""

import re
from html import unescape

import pytest
from django.urls import reverse

from brands.models import Membership
from core.errors import RuleViolation
from messaging.policy_rules.document import policy_from_document

pytestmark = pytest.mark.django_db

FORM = {
    "quiet_hours_start": "21:00", "quiet_hours_end": "08:00", "fallback_order_0": "whatsapp",
    "fallback_order_1": "sms", "fallback_after_minutes": "30", "ready_to_ship": "label_created",
}


def speaks(member, language):
    Membership.objects.filter(user=member).update(language=language)


def post_policy(client, brand, **fields):
    return client.post(reverse("panel:notifications-policy", args=[brand.pk]), {**FORM, **fields})


def test_the_french_panel_words_a_bad_cap_in_french_without_null(panel, member, brand):
    speaks(member, "fr")

    response = post_policy(panel, brand, max_messages_per_shipment="0", consolidation_seconds="-5")

    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Indiquez un nombre entier de 1 à 50, ou laissez vide pour ne fixer aucune limite ; vous avez saisi 0." in page
    assert "Indiquez un nombre entier de 0 à 86400 ; vous avez saisi -5." in page
    errors = " ".join(re.findall(r'<p class="field-error">(.*?)</p>', page, re.DOTALL))
    assert "null" not in errors and "Give a whole number" not in errors


@pytest.mark.parametrize("language, word", [("de", "ganze Zahl"), ("nl", "geheel getal"), ("es", "número entero"),
                                            ("it", "numero intero")])
def test_every_panel_language_words_a_bad_cap_its_own_way(panel, member, brand, language, word):
    speaks(member, language)

    page = unescape(post_policy(panel, brand, max_messages_per_shipment="abc").content.decode())

    assert word in page and "Give a whole number" not in page


def test_the_api_answers_a_bad_cap_in_english_with_its_code(api, brand):
    response = api.put(f"/api/v1/brands/{brand.pk}/sending-policy/", {"max_messages_per_shipment": 0},
                       format="json", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 400
    assert response.json() == {
        "max_messages_per_shipment": ["Give a whole number from 1 to 50, or no value for no cap; got 0."],
        "code": "out_of_range",
    }


def test_a_number_that_is_not_one_is_invalid_not_out_of_range():
    with pytest.raises(RuleViolation) as refused:
        policy_from_document({"consolidation_seconds": "soon"})

    assert (refused.value.field, refused.value.code) == ("consolidation_seconds", "invalid")
    assert refused.value.message == "Give a whole number from 0 to 86400."
