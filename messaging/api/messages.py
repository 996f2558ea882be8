from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from brands.scoping import AccountScopedAPIMixin, account_for_request
from messaging.message_selectors import message_list, parse_period, usage
from messaging.models import Channel, Message, MessageState
from messaging.policy import format_money


class MessageOutputSerializer(serializers.ModelSerializer):
    price = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = (
            "id", "shipment", "brand", "channel", "trigger_status", "recipient", "subject", "body", "state",
            "error_code", "error_message", "provider_message_id", "price", "currency", "not_before", "created_at",
            "sent_at", "delivered_at", "read_at",
        )

    def get_price(self, message) -> str | None:
        return None if message.price is None else format_money(message.price)


def shipment_messages(shipment) -> list:
    """The messages of one shipment (already scoped: the shipment was found through its account)."""
    return MessageOutputSerializer(shipment.messages.select_related("brand").order_by("created_at", "pk"), many=True).data


class MessageFilterSerializer(serializers.Serializer):
    shipment = serializers.IntegerField(required=False, min_value=1)
    brand = serializers.IntegerField(required=False, min_value=1)
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


class UsageView(APIView):
    """Messages accepted this month (or `?period=YYYY-MM`) and what they cost."""

    @extend_schema(
        parameters=[OpenApiParameter("period", OpenApiTypes.STR, description="YYYY-MM; default: this month")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        try:
            first, start, end = parse_period(request.query_params.get("period"), today=timezone.now().date())
        except ValueError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        data = usage(account=account_for_request(request), start=start, end=end)
        data["amount"] = f"{data['amount']:.2f}"
        for entry in data["by_channel"].values():
            entry["amount"] = f"{entry['amount']:.2f}"
        return Response({"period": first.strftime("%Y-%m"), **data})
