from django.db import transaction
from rest_framework import mixins, viewsets

from brands import services
from brands.api.serializers import BrandSerializer
from brands.models import Brand
from brands.scoping import AccountScopedAPIMixin


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

    @transaction.atomic
    def perform_destroy(self, instance):
        instance.delete()
