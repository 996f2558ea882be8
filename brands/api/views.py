from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from brands import services
from brands.api.account import OWNER_ONLY
from brands.api.serializers import BrandSerializer
from brands.audit import actor_for_request
from brands.models import Brand
from brands.scoping import AccountScopedAPIMixin


@extend_schema_view(destroy=extend_schema(
    description="Delete the brand: from then on it answers 404 (here and under /brands/{id}/...), its shipments "
    "are no longer listed, polled or creatable, its messages waiting to go are `suppressed` with `brand_deleted`, "
    "its tracking pages answer 404 and its slug is free for a new brand. Its charges stay on the invoice "
    "(this month's too).",
    responses={
        204: OpenApiResponse(description="Deleted."),
        403: OpenApiResponse(description="A member's panel session: only an owner (or an API key) deletes brands."),
        404: OpenApiResponse(description="No such brand in this account (another account's, or deleted already)."),
    },
))
class BrandViewSet(
    AccountScopedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The account's brands. A brand of another account, or a deleted one, answers 404."""

    scoped_model = Brand
    serializer_class = BrandSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.brand_create(account=self.account, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.brand_update(brand=serializer.instance, **serializer.validated_data)

    def get_permissions(self):
        if self.action == "destroy":  # an owner's decision, as in the panel (an API key acts for the account)
            return [permission() for permission in OWNER_ONLY]
        return super().get_permissions()

    def perform_destroy(self, instance):
        try:
            services.brand_delete(account=self.account, brand=instance, actor=actor_for_request(self.request))
        except Brand.DoesNotExist:  # deleted by a concurrent request while this one waited for the row
            raise Http404("No such brand.") from None
