"""/brands/<brand_pk>/notifications/: a brand's channel documents, read and replaced whole."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from brands.audit import actor_for_request
from messaging import selectors
from messaging.api.base import BrandNestedAPIView
from messaging.models import Channel
from messaging.services.notifications import channel_document_replace


class DocumentSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    enabled = serializers.BooleanField()
    countries = serializers.DictField(
        child=serializers.DictField(child=serializers.BooleanField()),
        help_text='ISO alpha-2 country -> status -> on, e.g. {"NL": {"delivered": true}}.',
    )


class NotificationListView(BrandNestedAPIView):
    """The brand's three channel documents (e-mail, SMS, WhatsApp)."""

    @extend_schema(responses=DocumentSerializer(many=True))
    def get(self, request, brand_pk):
        documents = selectors.channel_documents(brand=self.get_brand())
        return Response([document.as_dict() for document in documents])


class ChannelDocumentView(BrandNestedAPIView):
    """One channel document. PUT replaces it whole; statuses left out are on. Plan limit or
    missing consent: 400 with code plan_limit / consent_required, and nothing changes."""

    class InputSerializer(serializers.Serializer):
        # Only that the body is an object: the service checks every field and names each bad one
        # (a missing one too) in one answer.
        channel = serializers.JSONField(required=False, allow_null=True, default=None)
        enabled = serializers.JSONField(required=False, allow_null=True, default=None)
        countries = serializers.JSONField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "ChannelDocumentPut"

    def _channel(self, channel: str) -> str:
        if channel not in Channel.values:
            raise NotFound(f"Unknown channel '{channel[:24]}'; use {', '.join(Channel.values)}.")
        return channel

    @extend_schema(responses=DocumentSerializer)
    def get(self, request, brand_pk, channel):
        brand = self.get_brand()
        document = selectors.channel_document(brand=brand, channel=self._channel(channel))
        return Response(document.as_dict())

    @extend_schema(
        request=inline_serializer(
            "ChannelDocumentInput",
            {"channel": serializers.CharField(required=False), "enabled": serializers.BooleanField(),
             "countries": serializers.DictField(child=serializers.DictField(child=serializers.BooleanField()))},
        ),
        responses=DocumentSerializer,
    )
    def put(self, request, brand_pk, channel):
        brand = self.get_brand()
        channel = self._channel(channel)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = channel_document_replace(
            brand=brand,
            channel=channel,
            enabled=data.validated_data["enabled"],
            countries=data.validated_data["countries"],
            document_channel=data.validated_data.get("channel"),
            actor=actor_for_request(request),
        )
        return Response(document.as_dict())
