"""The policy document: defaults that change nothing, and a stored document read back alike."""

from datetime import time

import pytest

from core.errors import RuleViolation
from messaging.policy_rules.document import DEFAULT_POLICY, policy_from_document


def test_the_defaults_change_nothing():
    assert not DEFAULT_POLICY.quiet_hours.enabled
    assert not DEFAULT_POLICY.fallback.enabled
    assert DEFAULT_POLICY.max_messages_per_shipment is None
    assert DEFAULT_POLICY.consolidation_seconds == 0
    assert DEFAULT_POLICY.ready_to_ship == "label_created"


def test_a_document_read_back_from_its_policy_is_the_same_policy():
    policy = policy_from_document({"quiet_hours": {"enabled": True, "start": "22:15", "end": "06:45",
                                                   "except": ["delivered", "delayed", "delivered"]},
                                   "fallback": {"enabled": True, "order": ["whatsapp", "sms"]}})

    assert policy.quiet_hours.start == time(22, 15) and policy.quiet_hours.crosses_midnight
    assert policy.quiet_hours.except_statuses == {"delivered", "delayed"}
    assert policy_from_document(policy.as_document()) == policy


def test_the_excepted_statuses_come_out_in_the_taxonomys_order():
    policy = policy_from_document({"quiet_hours": {"except": ["delivered", "in_transit"]}})

    assert policy.as_document()["quiet_hours"]["except"] == ["in_transit", "delivered"]


def test_a_flood_of_unknown_keys_is_named_only_up_to_ten():
    with pytest.raises(RuleViolation) as caught:
        policy_from_document({f"key{index}": 1 for index in range(500)})

    assert len(caught.value.violations) == 10
    assert caught.value.code == "unknown_field"


def test_a_bad_start_does_not_also_report_an_empty_window():
    with pytest.raises(RuleViolation) as caught:
        policy_from_document({"quiet_hours": {"start": "8:00", "end": "21:00"}})

    assert [v.field for v in caught.value.violations] == ["quiet_hours.start"]
