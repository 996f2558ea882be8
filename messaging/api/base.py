"""What the messaging API views share: the brand of the URL, scoped to the account, and who acts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.views import APIView

from brands.authentication import ApiKeyPrincipal
from brands.models import ApiKey, Brand
from brands.scoping import AccountScopedAPIMixin
from tracking.statuses import LANGUAGES


class BrandNestedAPIView(AccountScopedAPIMixin, APIView):
    """A view under /brands/<brand_pk>/: the brand is looked up through the account, so a brand
    of another account (or none) is a 404 before anything else is looked at."""

    scoped_model = Brand

    def get_brand(self) -> Brand:
        brand = get_object_or_404(self.get_queryset(), pk=self.kwargs["brand_pk"])
        brand.account = self.account  # already loaded: saves a query wherever brand.account is used
        return brand


class StrictBooleanField(serializers.BooleanField):
    """true or false, nothing else: "false" or 0 are mistakes worth a 400, not a guess."""

    default_error_messages = {"invalid": "Give true or false."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class LanguageField(serializers.CharField):
    """A message language code ("en", "fr"...). A CharField, not a ChoiceField: the OpenAPI
    schema already has the language enum under the brand's `default_language`."""

    default_error_messages = {"invalid_language": "Unknown language '{value}'; use one of {choices}."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in LANGUAGES:
            self.fail("invalid_language", value=value[:8], choices=", ".join(LANGUAGES))
        return value


def actor(request) -> tuple[object | None, str]:
    """(user or None, label) of who acts: a member, or an API key (no user, its prefix as label)."""
    user = getattr(request, "user", None)
    if isinstance(user, ApiKeyPrincipal):
        return None, f"API key {ApiKey.PREFIX}_{user.api_key.prefix}"
    if user is not None and getattr(user, "is_authenticated", False):
        return user, user.email or user.get_username()
    return None, "unknown"
