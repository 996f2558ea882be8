from django.db import transaction
from django.db.models import ProtectedError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from brands import services
from brands.api.serializers import BrandSerializer
from brands.models import Brand
from brands.scoping import AccountScopedAPIMixin
from core.errors import RuleViolation


@extend_schema_view(destroy=extend_schema(responses={
    204: OpenApiResponse(description="Deleted, with its settings, templates, shipments and messages."),
    400: OpenApiResponse(description="code brand_billed: the brand has charges or invoice lines, which are kept."),
}))
class BrandViewSet(
    AccountScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The account's brands. A brand of another account answers 404."""

    scoped_model = Brand
    serializer_class = BrandSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.brand_create(account=self.account, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.brand_update(brand=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError:
            # Charges and invoice lines keep their brand (billing records are never deleted).
            raise RuleViolation(
                "brand", f"{instance.name} has billed WhatsApp messages: its billing records keep it, so it "
                "cannot be deleted. Switch its channels off instead.", code="brand_billed",
            ) from None
