"""/brands/<brand_pk>/templates/: the brand's templates (overrides merged over the defaults),
editing an e-mail/SMS template, and previewing a message."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from brands.audit import actor_for_request
from core.api_fields import object_id
from messaging import selectors
from messaging.api.base import BrandNestedAPIView, LanguageField
from messaging.models import Channel
from messaging.previews import template_preview
from messaging.services.templates import check_editable, template_override_delete, template_override_save
from messaging.template_selectors import segments_dict, template_entry
from tracking.statuses import ALL_CODES, LANGUAGES, Status


class SegmentsSerializer(serializers.Serializer):
    encoding = serializers.CharField()
    characters = serializers.IntegerField()
    segments = serializers.IntegerField()


class TemplateSerializer(serializers.Serializer):
    channel = serializers.CharField()
    status = serializers.CharField()
    language = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    is_default = serializers.BooleanField()
    segments = SegmentsSerializer(required=False, help_text="SMS only: estimated with sample values.")


class TemplateListView(BrandNestedAPIView):
    """Every (channel, status, language): the brand's override, else the platform default.
    WhatsApp entries show the approved platform template (never editable). Not paginated: the
    list is a fixed catalogue (3 channels x 11 statuses x 6 languages), filtered by the query."""

    class FilterSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        language = LanguageField(required=False)

    @extend_schema(
        parameters=[OpenApiParameter(name, str, required=False) for name in ("channel", "status", "language")],
        responses=TemplateSerializer(many=True),
    )
    def get(self, request, brand_pk):
        brand = self.get_brand()
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        entries = selectors.template_list(brand=brand, **filters.validated_data)
        return Response([entry.as_dict() for entry in entries])


class TemplateDetailView(BrandNestedAPIView):
    """PUT the brand's own subject/body for an e-mail or SMS template; DELETE returns to the
    default (and answers the default). WhatsApp: 400 not_editable."""

    class InputSerializer(serializers.Serializer):
        # Shapes only, nothing required here: the service names a missing body together with the
        # subject's problems (the schema below still documents the body as required).
        subject = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)

    def _key(self, channel: str, status: str, language: str) -> dict:
        if channel not in Channel.values or status not in ALL_CODES or language not in LANGUAGES:
            raise NotFound("No such template: check the channel, status and language.")
        check_editable(channel)
        return {"channel": channel, "status": status, "language": language}

    @extend_schema(
        request=inline_serializer("TemplateInput", {
            "subject": serializers.CharField(required=False, allow_blank=True, help_text="E-mail only."),
            "body": serializers.CharField(allow_blank=True),
        }),
        responses=TemplateSerializer,
    )
    def put(self, request, brand_pk, channel, status, language):
        brand = self.get_brand()
        key = self._key(channel, status, language)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        override = template_override_save(brand=brand, actor=actor_for_request(request), **key,
                                          body=data.validated_data.get("body"),
                                          subject=data.validated_data.get("subject", ""))
        return Response(template_entry(brand=brand, override=override, **key).as_dict())

    @extend_schema(responses={200: TemplateSerializer})
    def delete(self, request, brand_pk, channel, status, language):
        brand = self.get_brand()
        key = self._key(channel, status, language)
        template_override_delete(brand=brand, actor=actor_for_request(request), **key)
        return Response(template_entry(brand=brand, override=None, **key).as_dict())


class TemplatePreviewView(BrandNestedAPIView):
    """A message rendered with a shipment of the brand (or sample data): `subject`, `body`, plus
    `html` for e-mail and `segments` for SMS. Without `body`, the brand's current template."""

    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=Channel.choices)
        status = serializers.ChoiceField(choices=Status.choices)
        language = LanguageField(required=False)
        body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        subject = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
        shipment = object_id(required=False)

        class Meta:
            ref_name = "TemplatePreviewInput"

    class OutputSerializer(serializers.Serializer):
        subject = serializers.CharField()
        body = serializers.CharField()
        html = serializers.CharField(required=False)
        segments = SegmentsSerializer(required=False)

        class Meta:
            ref_name = "TemplatePreview"

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, brand_pk):
        brand = self.get_brand()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        preview = template_preview(brand=brand, shipment_id=values.pop("shipment", None), **values)
        out = {"subject": preview.subject, "body": preview.body}
        if preview.html is not None:
            out["html"] = preview.html
        if preview.segments is not None:
            out["segments"] = segments_dict(preview.segments)
        return Response(out)
