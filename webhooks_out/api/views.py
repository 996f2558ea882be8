"""`GET, POST /api/v1/webhook-endpoints/`, `DELETE /api/v1/webhook-endpoints/{id}/`.

The secret is in the creation answer only; every other answer leaves it out."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from brands.scoping import AccountScopedAPIMixin
from webhooks_out import selectors, services
from webhooks_out.models import EventType, WebhookEndpoint


class WebhookEndpointOutputSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.values))

    class Meta:
        model = WebhookEndpoint
        fields = ("id", "url", "events", "active", "failing_since", "disabled_at", "disabled_reason", "created_at")


class WebhookEndpointCreatedSerializer(WebhookEndpointOutputSerializer):
    secret = serializers.CharField(
        help_text="Signs every delivery (`Parcelcast-Signature`). Shown in this answer only: store it now.")

    class Meta(WebhookEndpointOutputSerializer.Meta):
        fields = (*WebhookEndpointOutputSerializer.Meta.fields, "secret")


@extend_schema_field({"type": "string", "enum": list(EventType.values)})
class EventNameField(serializers.CharField):
    """An event type's name; an unknown one is refused by the service, with the other fields' errors."""


class WebhookEndpointInputSerializer(serializers.Serializer):
    """The body's shapes only. What the values mean (an https URL, known events, at least one) is
    the service's check, which names every bad field at once: a ChoiceField here would answer
    `events` alone and leave the URL's error for a second round."""

    url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                help_text="https:// URL that receives the POSTed events.")
    events = serializers.ListField(child=EventNameField(max_length=64), required=False, default=list,
                                   help_text=f"At least one of: {', '.join(EventType.values)}.")


@extend_schema_view(
    create=extend_schema(request=WebhookEndpointInputSerializer, responses={201: WebhookEndpointCreatedSerializer}),
    destroy=extend_schema(responses={204: OpenApiResponse(description="Deleted: nothing more is sent to it.")}),
)
class WebhookEndpointViewSet(AccountScopedAPIMixin, mixins.ListModelMixin, mixins.CreateModelMixin,
                             mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The account's webhook endpoints. Another account's endpoint answers 404."""

    scoped_model = WebhookEndpoint
    serializer_class = WebhookEndpointOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookEndpoint.objects.none()
        return selectors.endpoint_list(account=self.account)

    def create(self, request, *args, **kwargs):
        data = WebhookEndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = services.endpoint_create(account=self.account, **data.validated_data)
        endpoint.secret = secret
        return Response(WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.endpoint_delete(account=self.account, endpoint_id=instance.pk)
