from rest_framework import serializers

from brands.models import Brand
from brands.services import BRAND_FIELDS, SLUG_TAKEN, brand_slug_taken


class BrandSerializer(serializers.ModelSerializer):
    """Input and output of a brand. Field validators (E.164, colour, slug) come from the model."""

    class Meta:
        model = Brand
        fields = ("id", *BRAND_FIELDS, "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")

    def validate_slug(self, value):
        # Here too, so that a taken slug is named with the other fields' errors (one round of fixes).
        if brand_slug_taken(slug=value, brand_pk=getattr(self.instance, "pk", None)):
            raise serializers.ValidationError(SLUG_TAKEN, code="unique")
        return value
