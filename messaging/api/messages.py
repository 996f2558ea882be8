from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from brands.scoping import AccountScopedAPIMixin, account_for_request
from core.api_fields import object_id
from messaging.message_selectors import message_list, parse_period, usage
from messaging.models import Channel, Message, MessageState
from messaging.policy import format_money, get_policy

# States of a message that never went: their error_code says why.
NOT_SENT_STATES = frozenset({MessageState.SUPPRESSED})


class MessageOutputSerializer(serializers.ModelSerializer):
    price = serializers.SerializerMethodField()
    suppressed_reason = serializers.SerializerMethodField(
        help_text="Why a `suppressed` message was not sent: `stale_event`, `superseded`, "
                  "`frequency_cap`, `spend_cap`, `opted_out`...; null otherwise. An `expired` message (WhatsApp, "
                  "replaced by the message whose `fallback_of` is its id) says why in `error_code` (the "
                  "provider's, e.g. 131026) and `error_message`.")
    occurrence = serializers.IntegerField(
        read_only=True, help_text="1 the first time the shipment entered `trigger_status`, 2 the second...")
    fallback_of = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the message this one replaces on another channel, or null.")

    class Meta:
        model = Message
        fields = (
            "id", "shipment", "brand", "channel", "trigger_status", "occurrence", "recipient", "subject", "body",
            "state", "error_code", "error_message", "suppressed_reason", "fallback_of", "provider_message_id", "price",
            "currency", "not_before", "created_at", "sent_at", "delivered_at", "read_at",
        )

    def get_price(self, message) -> str | None:
        return None if message.price is None else format_money(message.price)

    def get_suppressed_reason(self, message) -> str | None:
        return message.error_code or None if message.state in NOT_SENT_STATES else None


def shipment_messages(shipment) -> list:
    """The messages of one shipment (already scoped: the shipment was found through its account)."""
    return MessageOutputSerializer(shipment.messages.select_related("brand").order_by("created_at", "pk"), many=True).data


class MessageFilterSerializer(serializers.Serializer):
    shipment = object_id(required=False)
    brand = object_id(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    state = serializers.ChoiceField(choices=MessageState.choices, required=False)


@extend_schema(parameters=[MessageFilterSerializer])
class MessageViewSet(AccountScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Outbound messages of the account, newest first."""

    scoped_model = Message
    serializer_class = MessageOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        if self.action != "list":
            return message_list(account=self.account)
        filters = MessageFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return message_list(account=self.account, **filters.validated_data)


_MONEY = {"help_text": 'A decimal string, e.g. "12.34".'}
USAGE_SCHEMA = inline_serializer("Usage", {
    "period": serializers.CharField(help_text="YYYY-MM"),
    "messages": serializers.IntegerField(),
    "amount": serializers.CharField(**_MONEY),
    "currency": serializers.CharField(),
    "by_channel": serializers.DictField(child=inline_serializer("UsageChannel", {
        "messages": serializers.IntegerField(), "delivered": serializers.IntegerField(),
        "read": serializers.IntegerField(), "amount": serializers.CharField(**_MONEY),
    })),
    "forecast": serializers.CharField(help_text=(
        "The period's expected WhatsApp amount: for this month, what is charged so far plus each remaining "
        "day's usual amount for its weekday (last 8 weeks, scaled to the last 2); a past month's final amount.")),
    "cap": inline_serializer("UsageSpendCap", {
        "monthly_cap": serializers.CharField(allow_null=True, help_text="null: no cap"),
        "alert_at_percent": serializers.IntegerField(),
        "on_cap": serializers.ChoiceField(choices=["fallback", "pause"]),
        "currency": serializers.CharField(),
    }, help_text="The account's spend cap as GET /api/v1/account/spend-cap/ shows it (a document, never null)."),
})


class UsageView(APIView):
    """Messages accepted this month (or `?period=YYYY-MM`), what they cost, the month's forecast
    and the account's spend cap."""

    @extend_schema(
        parameters=[OpenApiParameter("period", OpenApiTypes.STR, description="YYYY-MM; default: this month")],
        responses=USAGE_SCHEMA,
    )
    def get(self, request):
        now = timezone.now()
        try:
            first, start, end = parse_period(request.query_params.get("period"), today=now.date())
        except ValueError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        account = account_for_request(request)
        data = usage(account=account, start=start, end=end)
        data["amount"] = f"{data['amount']:.2f}"
        for entry in data["by_channel"].values():
            entry["amount"] = f"{entry['amount']:.2f}"
        # Money is billing's: it answers through the plan policy (messaging does not import it).
        outlook = get_policy().spend_outlook(account, first, now)
        return Response({"period": first.strftime("%Y-%m"), **data, "forecast": f"{outlook.forecast:.2f}",
                         "cap": outlook.cap_document})
