"""/brands/<brand_pk>/whatsapp-sender/: the brand's own WhatsApp number.

PUT checks the credentials with Meta and stores them (the token encrypted, write-only); GET says
which number sends (the brand's own, or the platform's), never the token; DELETE returns the brand to the platform's number. Another account's
brand is a 404 (BrandNestedAPIView)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from brands.audit import actor_for_request
from messaging.api.base import BrandNestedAPIView
from messaging.senders import (
    SenderUnavailable,
    whatsapp_sender_connect,
    whatsapp_sender_disconnect,
    whatsapp_sender_get,
)


class WhatsAppSenderInput(serializers.Serializer):
    """The body's shapes only: a field left out, empty or null is "" here, and the service's shape
    check (digits, lengths, a token's form) names every bad field in one answer. A required field
    here would answer alone and leave the others' errors for a second round."""

    phone_number_id = serializers.CharField(required=False, default="", allow_blank=True, allow_null=True,
                                            help_text="From WhatsApp Manager > Phone numbers (5 to 32 digits).")
    business_account_id = serializers.CharField(required=False, default="", allow_blank=True, allow_null=True,
                                                help_text="The WhatsApp business account (WABA) id (5 to 32 digits).")
    access_token = serializers.CharField(
        required=False, default="", write_only=True, allow_blank=True, allow_null=True,
        help_text="A permanent system-user token with whatsapp_business_messaging and "
                  "whatsapp_business_management (up to 2048 characters). Stored encrypted, never returned.")

    def to_internal_value(self, data):
        return {name: value or "" for name, value in super().to_internal_value(data).items()}


class WhatsAppSenderOutput(serializers.Serializer):
    sends_from = serializers.ChoiceField(
        choices=[("own", "own"), ("platform", "platform")],
        help_text="own: the brand's own number below; platform: Parcelcast's number (the other fields null).")
    phone_number_id = serializers.CharField(allow_null=True)
    business_account_id = serializers.CharField(allow_null=True)
    display_phone_number = serializers.CharField(allow_null=True,
                                                 help_text="As Meta shows it; messages go from this number.")
    verified_name = serializers.CharField(allow_null=True, help_text="The display name Meta approved.")
    connected_at = serializers.DateTimeField(allow_null=True)


def answer(sender) -> dict:
    if sender is None:
        return {"sends_from": "platform", "phone_number_id": None, "business_account_id": None,
                "display_phone_number": None, "verified_name": None, "connected_at": None}
    return WhatsAppSenderOutput({"sends_from": "own", **{name: getattr(sender, name) for name in (
        "phone_number_id", "business_account_id", "display_phone_number", "verified_name", "connected_at")}}).data


class WhatsAppSenderView(BrandNestedAPIView):
    """The number the brand's WhatsApp messages go from: its own once connected (PUT), else
    Parcelcast's (DELETE returns to it)."""

    @extend_schema(responses={200: WhatsAppSenderOutput})
    def get(self, request, brand_pk: int):
        return Response(answer(whatsapp_sender_get(brand=self.get_brand())))

    @extend_schema(request=WhatsAppSenderInput, responses={
        200: WhatsAppSenderOutput,
        400: OpenApiResponse(description="A field Meta refused (access_token, phone_number_id) or a malformed one; "
                                         "nothing saved."),
        503: OpenApiResponse(description="code meta_unavailable: Meta could not be asked (network, Meta down); "
                                         "encryption_not_configured: no key to store the token. Nothing saved."),
    })
    def put(self, request, brand_pk: int):
        brand = self.get_brand()
        data = WhatsAppSenderInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            sender = whatsapp_sender_connect(brand=brand, actor=actor_for_request(request), **data.validated_data)
        except SenderUnavailable as exc:
            return Response({"detail": str(exc), "code": exc.code},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "60"})
        return Response(answer(sender))

    @extend_schema(responses={204: OpenApiResponse(description="Back to the platform's number (also when it was).")})
    def delete(self, request, brand_pk: int):
        whatsapp_sender_disconnect(brand=self.get_brand(), actor=actor_for_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
