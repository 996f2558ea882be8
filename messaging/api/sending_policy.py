"""/brands/<brand_pk>/sending-policy/: the brand's sending policy, read and replaced whole."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from brands.audit import actor_for_request
from messaging.api.base import BrandNestedAPIView
from messaging.models import Channel, ReadyToShip
from messaging.policy_rules import document as rules
from messaging.policy_selectors import policy_for
from messaging.services.sending_policy import sending_policy_replace
from tracking.statuses import Status

_HH_MM = r"^([01]\d|2[0-3]):[0-5]\d$"


class QuietHoursSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Default false.")
    start = serializers.RegexField(_HH_MM, help_text="HH:MM, shopper's local time. Default 21:00.")
    end = serializers.RegexField(
        _HH_MM, help_text="HH:MM, shopper's local time; before the start means the next day. Default 08:00."
    )
    # "except" is a Python keyword: the field is named in `fields` below.
    except_ = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices),
        help_text="Statuses sent at once, whatever the hour (answered in the taxonomy's order). Default: "
                  "out_for_delivery, delivery_failed, ready_for_pickup.",
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["except"] = fields.pop("except_")
        return fields


class FallbackSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(help_text="Default false.")
    order = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), max_length=3,
        help_text="Channels in the order they are tried, each once; at least two when enabled. A WhatsApp "
                  "message that cannot reach the shopper goes by the first channel after WhatsApp that can "
                  "(any of the order when it leaves WhatsApp out). Default whatsapp, sms, email.",
    )
    after_minutes = serializers.IntegerField(
        min_value=1, max_value=rules.MAX_AFTER_MINUTES,
        help_text="A WhatsApp message not delivered by then goes by the next channel. Default 30.",
    )


class SendingPolicySerializer(serializers.Serializer):
    """The whole policy. In a PUT every key, at every level, may be left out: it takes its
    default (which changes nothing); unknown keys are refused."""

    quiet_hours = QuietHoursSerializer(help_text="Held messages go when the window ends. Default off.")
    fallback = FallbackSerializer(help_text="Default off.")
    max_messages_per_shipment = serializers.IntegerField(
        min_value=1, max_value=rules.MAX_CAP, allow_null=True,
        help_text="Null: no cap (the default). Passing statuses are suppressed (frequency_cap) once "
                  "the cap less one is reached; actionable ones are always sent.",
    )
    consolidation_seconds = serializers.IntegerField(
        min_value=0, max_value=rules.MAX_CONSOLIDATION_SECONDS,
        help_text="Passing statuses wait this long and give way to a newer one. Default 0 (at once).",
    )
    ready_to_ship = serializers.ChoiceField(
        choices=ReadyToShip.choices, help_text="When 'ready to ship' is announced. Default label_created."
    )


class _AllOptional:
    """The request form of a document serializer: every key may be left out (it takes its default)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields


class QuietHoursInput(_AllOptional, QuietHoursSerializer):
    pass


class FallbackInput(_AllOptional, FallbackSerializer):
    pass


class SendingPolicyInput(_AllOptional, SendingPolicySerializer):
    quiet_hours = QuietHoursInput(help_text="Left out: quiet hours off.")
    fallback = FallbackInput(help_text="Left out: fallback off.")


_EXAMPLE = {
    "quiet_hours": {"enabled": True, "start": "21:00", "end": "08:00",
                    "except": ["out_for_delivery", "delivery_failed", "ready_for_pickup"]},
    "fallback": {"enabled": True, "order": ["whatsapp", "sms", "email"], "after_minutes": 30},
    "max_messages_per_shipment": 4,
    "consolidation_seconds": 0,
    "ready_to_ship": "label_created",
}


class SendingPolicyView(BrandNestedAPIView):
    """The brand's sending policy. A brand that never changed it has the defaults: quiet hours
    and fallback off, no cap, no consolidation, "ready to ship" at label creation.

    PUT replaces the policy whole; keys left out take their defaults. A bad document is a 400
    naming every bad field ("quiet_hours.start", "fallback.order"...) with a `code`, and nothing
    changes."""

    @extend_schema(responses=SendingPolicySerializer,
                   examples=[OpenApiExample("Quiet hours, fallback and a cap", value=_EXAMPLE, response_only=True)])
    def get(self, request, brand_pk):
        return Response(policy_for(brand=self.get_brand()).as_document())

    @extend_schema(
        request=SendingPolicyInput,
        responses=SendingPolicySerializer,
        examples=[
            OpenApiExample("Quiet hours, fallback and a cap", value=_EXAMPLE),
            OpenApiExample("Only quiet hours (everything else: defaults)", request_only=True,
                           value={"quiet_hours": {"enabled": True, "start": "22:00", "end": "07:30"}}),
            OpenApiExample("Back to the defaults", request_only=True, value={}),
        ],
    )
    def put(self, request, brand_pk):
        brand = self.get_brand()
        # The service checks the document itself: it names every bad field, at every level.
        policy = sending_policy_replace(brand=brand, document=request.data, actor=actor_for_request(request))
        return Response(policy.as_document())
