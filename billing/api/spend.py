"""/account/spend-cap/: the account's monthly WhatsApp spend cap, read and replaced whole.

Everything is the requester's own account (no id in the URL). Any member or key reads it; an
owner's session or an API key changes it (money is an owner's decision, like the plan).
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.spend import account_currency, spend_cap_get, spend_cap_set
from billing.spend_models import OnCap
from brands.api.account import OWNER_ONLY
from brands.audit import actor_for_request
from brands.scoping import HasAccount, account_for_request


class SpendCapSerializer(serializers.Serializer):
    monthly_cap = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, allow_null=True, coerce_to_string=True,
        help_text='Per calendar month (UTC), in the account\'s currency, e.g. "50.00"; null: no cap.',
    )
    alert_at_percent = serializers.IntegerField(
        min_value=1, max_value=100, default=80, help_text="E-mail the owners and show a banner at this share of the cap.",
    )
    on_cap = serializers.ChoiceField(
        choices=OnCap.choices, default=OnCap.FALLBACK,
        help_text="At the cap, WhatsApp messages go by the brand's fallback channels, or are held until the cap is "
                  "raised or the month ends.",
    )
    currency = serializers.CharField(read_only=True, help_text="The account's currency (its WhatsApp price's).")

    class Meta:
        ref_name = "SpendCap"


class SpendCapView(APIView):
    """GET the cap; PUT replaces it whole (fields left out take their defaults: no cap, 80,
    fallback). Every bad field is named in one 400, and nothing changes."""

    def get_permissions(self):
        return [permission() for permission in ([HasAccount] if self.request.method == "GET" else OWNER_ONLY)]

    def _document(self, account, settings) -> dict:
        return {**settings.as_dict(), "currency": account_currency(account, timezone.now())}

    @extend_schema(responses=SpendCapSerializer)
    def get(self, request):
        account = account_for_request(request)
        return Response(self._document(account, spend_cap_get(account=account)))

    @extend_schema(request=SpendCapSerializer, responses=SpendCapSerializer)
    def put(self, request):
        # The service checks the values (every bad field at once); here only the body's shape.
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Send a JSON object."]})
        account = account_for_request(request)
        fields = {name: request.data[name] for name in ("monthly_cap", "alert_at_percent", "on_cap")
                  if name in request.data}
        settings = spend_cap_set(account=account, actor=actor_for_request(request), **fields)
        return Response(self._document(account, settings))
