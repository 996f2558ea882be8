"""/account/: the account itself (its retention period), its export, its deletion, its audit log.

Who may: an API key (it acts for the whole account) or an owner's panel session. A member's
session is refused with 403: the account is theirs to see, but these are owner decisions (and the
export holds every shopper's details). Another account is never reachable: there is no id in
these URLs, everything is the requester's own account.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from brands import services
from brands.account_data import account_delete, account_export_chunks
from brands.audit import actor_for_request
from brands.models import ApiKey, AuditEvent, Membership, Role
from brands.scoping import AccountScopedAPIMixin, HasAccount, account_for_request


class IsOwnerOrApiKey(BasePermission):
    message = "Only an owner of the account (or an API key) can do this."

    def has_permission(self, request, view) -> bool:
        if isinstance(getattr(request, "auth", None), ApiKey):
            return True
        account = account_for_request(request)
        return (
            account is not None
            and Membership.objects.for_account(account).filter(user=request.user, role=Role.OWNER).exists()
        )


OWNER_ONLY = [HasAccount, IsOwnerOrApiKey]


class AccountSerializer(serializers.Serializer):
    company_name = serializers.CharField(read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    plan = serializers.CharField(read_only=True)
    retention_days = serializers.IntegerField(
        min_value=1, max_value=3650,
        help_text="Days after a shipment's last status (delivered, returned...) before its shopper's details are erased.",
        required=False,
    )
    # Validated by the service (brands.validators.validate_time_zone), named on this field.
    time_zone = serializers.CharField(
        max_length=64, required=False,
        help_text="IANA time zone the panel shows times in, e.g. Europe/Amsterdam. API times stay UTC.",
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError({"retention_days": ["Give retention_days or time_zone."]})
        return attrs


class DeleteInput(serializers.Serializer):
    confirm = serializers.CharField(help_text="The account's company name, exactly.")

    class Meta:
        ref_name = "AccountDeleteInput"


class AccountView(APIView):
    """GET the account; PATCH its `retention_days` and/or `time_zone`; DELETE it (with `{"confirm": "<company name>"}`)."""

    permission_classes = OWNER_ONLY

    @extend_schema(responses=AccountSerializer)
    def get(self, request):
        return Response(AccountSerializer(account_for_request(request)).data)

    @extend_schema(request=AccountSerializer, responses=AccountSerializer)
    def patch(self, request):
        account = account_for_request(request)
        data = AccountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.account_settings_update(account=account, actor=actor_for_request(request), **data.validated_data)
        return Response(AccountSerializer(account).data)

    @extend_schema(
        request=DeleteInput,
        responses={204: OpenApiResponse(description="Deleted: every member, key, brand, shipment and message is gone.")},
    )
    def delete(self, request):
        data = DeleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        account_delete(account=account_for_request(request), confirm=data.validated_data["confirm"],
                       actor=actor_for_request(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountExportView(APIView):
    """Everything the account holds, as one JSON document, streamed: the account, brands, members,
    API keys (names and prefixes, never secrets), notification settings, templates, consents,
    opt-outs, shipments with their events, messages, charges, invoices and the audit log."""

    permission_classes = OWNER_ONLY

    @extend_schema(responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The account's data.")})
    def get(self, request):
        response = StreamingHttpResponse(
            account_export_chunks(account_for_request(request)), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="parcelcast-account-export.json"'
        response["Cache-Control"] = "no-store"
        return response


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditEvent
        fields = ("id", "created_at", "actor", "action", "object_type", "object_id", "details", "ip")


class AuditEventListView(AccountScopedAPIMixin, generics.ListAPIView):
    """The account's audit log, newest first: who changed settings, consent, plan, keys, templates."""

    scoped_model = AuditEvent
    serializer_class = AuditEventSerializer
    permission_classes = OWNER_ONLY
