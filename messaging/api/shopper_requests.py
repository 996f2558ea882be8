"""`GET /api/v1/shopper-requests/` (`?brand=&kind=&state=`), `PATCH .../{id}/` `{"state": "done"}`,
and `GET /api/v1/feedback/` (`?brand=&carrier=`): what shoppers asked and how they rated."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from brands.scoping import AccountScopedAPIMixin
from core.api_fields import object_id
from messaging.api.base import actor
from messaging.models import DeliveryRating, ShopperRequest, ShopperRequestKind, ShopperRequestState
from messaging.services.shopper_requests import shopper_request_set_state
from messaging.shopper_request_selectors import rating_list, shopper_request_list


class ShipmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    order_number = serializers.CharField()


class ShopperRequestOutputSerializer(serializers.ModelSerializer):
    shipment = ShipmentRefSerializer(read_only=True)
    details = serializers.JSONField(help_text='What the shopper chose, e.g. {"date": "2026-12-04"}.')

    class Meta:
        model = ShopperRequest
        fields = ("id", "shipment", "brand", "kind", "details", "state", "created_at", "done_at")


class ShopperRequestFilterSerializer(serializers.Serializer):
    brand = object_id(required=False)
    kind = serializers.ChoiceField(choices=ShopperRequestKind.choices, required=False)
    state = serializers.ChoiceField(choices=ShopperRequestState.choices, required=False)


class ShopperRequestPatchSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ShopperRequestState.choices)


@extend_schema_view(
    list=extend_schema(parameters=[ShopperRequestFilterSerializer]),
    partial_update=extend_schema(request=ShopperRequestPatchSerializer, responses=ShopperRequestOutputSerializer),
)
class ShopperRequestViewSet(AccountScopedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Requests shoppers made through their replies, newest first. Another account's: 404."""

    scoped_model = ShopperRequest
    serializer_class = ShopperRequestOutputSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ShopperRequest.objects.none()
        if self.action != "list":
            return shopper_request_list(account=self.account)
        filters = ShopperRequestFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return shopper_request_list(account=self.account, **filters.validated_data)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()  # 404 for another account's
        data = ShopperRequestPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, label = actor(request)
        updated = shopper_request_set_state(account=self.account, request_id=instance.pk,
                                            state=data.validated_data["state"], by_label=label)
        return Response(ShopperRequestOutputSerializer(updated).data)


class RatingOutputSerializer(serializers.ModelSerializer):
    shipment = ShipmentRefSerializer(read_only=True)

    class Meta:
        model = DeliveryRating
        fields = ("id", "shipment", "brand", "carrier", "score", "comment", "created_at")


class RatingFilterSerializer(serializers.Serializer):
    brand = object_id(required=False)
    carrier = serializers.CharField(required=False, max_length=32)


@extend_schema_view(list=extend_schema(parameters=[RatingFilterSerializer]))
class FeedbackViewSet(AccountScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Delivery ratings (1-5, with the shopper's optional comment), newest first."""

    scoped_model = DeliveryRating
    serializer_class = RatingOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DeliveryRating.objects.none()
        if self.action != "list":
            return rating_list(account=self.account)
        filters = RatingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return rating_list(account=self.account, **filters.validated_data)
