from rest_framework import serializers

from brands.models import Brand
from brands.services import BRAND_FIELDS


class BrandSerializer(serializers.ModelSerializer):
    """Input and output of a brand. Field validators (E.164, colour, slug) come from the model."""

    class Meta:
        model = Brand
        fields = ("id", *BRAND_FIELDS, "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
