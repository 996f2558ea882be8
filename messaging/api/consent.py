"""/account/whatsapp-consent/: the account accepts WhatsApp pricing and phone-number use."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from brands.audit import actor_for_request
from brands.scoping import account_for_request
from messaging.api.base import StrictBooleanField, actor
from messaging.policy import format_money
from messaging.services.consent import whatsapp_consent_give


class WhatsAppConsentView(APIView):
    """Give consent (both must be true). A plan without WhatsApp answers 400 plan_limit."""

    class InputSerializer(serializers.Serializer):
        accept_pricing = StrictBooleanField()
        accept_phone_data_use = StrictBooleanField()

        class Meta:
            ref_name = "WhatsAppConsentInput"

    class OutputSerializer(serializers.Serializer):
        given_by = serializers.CharField(source="given_by_label")
        given_at = serializers.DateTimeField()
        unit_price = serializers.SerializerMethodField(help_text='The price shown, e.g. "0.14".')
        currency = serializers.CharField()

        def get_unit_price(self, consent) -> str | None:
            return None if consent.unit_price is None else format_money(consent.unit_price)

        class Meta:
            ref_name = "WhatsAppConsent"

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, label = actor(request)
        consent = whatsapp_consent_give(
            account=account_for_request(request), given_by=user, given_by_label=label,
            actor=actor_for_request(request), **data.validated_data
        )
        return Response(self.OutputSerializer(consent).data, status=status.HTTP_201_CREATED)
