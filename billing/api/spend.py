"""/account/spend-cap/: the account's monthly WhatsApp spend cap, read and replaced whole.

Everything is the requester's own account (no id in the URL). Any member or key reads it; an
owner's session or an API key changes it (money is an owner's decision, like the plan).
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.spend import account_currency, spend_cap_from_document, spend_cap_get, spend_cap_set
from billing.spend_models import OnCap
from brands.api.account import OWNER_ONLY
from brands.audit import actor_for_request
from brands.scoping import HasAccount, account_for_request


class SpendCapSerializer(serializers.Serializer):
    monthly_cap = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, allow_null=True, coerce_to_string=True,
        help_text='Per calendar month (UTC), in the account\'s currency, e.g. "50.00"; null: no cap. Raising it '
                  "above the month's spend, or removing it, releases the WhatsApp messages a pausing cap holds "
                  "(as many as the new room pays for), sent within a minute.",
    )
    alert_at_percent = serializers.IntegerField(
        min_value=1, max_value=100, default=80, help_text="E-mail the owners and show a banner at this share of the cap.",
    )
    on_cap = serializers.ChoiceField(
        choices=OnCap.choices, default=OnCap.FALLBACK,
        help_text="At the cap, WhatsApp messages go by the brand's fallback channels, or are held until the cap is "
                  "raised above the month's spend or removed, or the month ends. Switching a held month to "
                  "`fallback` applies to messages planned from then on; those held stay held.",
    )
    currency = serializers.CharField(
        read_only=True, help_text="The account's currency (its WhatsApp price's). Read-only: a PUT may send it back "
                                  "as GET shows it; any other value is a 400 with code `read_only`.")

    class Meta:
        ref_name = "SpendCap"


_ERRORS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Every bad field named at once, `{\"field\": [\"message\", ...], \"code\": \"...\"}`; `code` is the "
                "first problem's: `unknown_field` (a key the document does not have, e.g. a typo), `read_only` "
                "(`currency` other than the account's), `invalid`, `out_of_range`, `invalid_choice`. Nothing is saved.",
    examples=[OpenApiExample("A typo", value={
        "montly_cap": ["Unknown field; use monthly_cap, alert_at_percent, on_cap."], "code": "unknown_field"})],
)


class SpendCapView(APIView):
    """GET the cap; PUT replaces it whole (fields left out take their defaults: no cap, 80,
    fallback). Unknown keys and every bad field are named in one 400 with a `code`, and nothing
    changes."""

    def get_permissions(self):
        return [permission() for permission in ([HasAccount] if self.request.method == "GET" else OWNER_ONLY)]

    def _document(self, account, settings, currency: str) -> dict:
        return {**settings.as_dict(), "currency": currency}

    @extend_schema(responses=SpendCapSerializer)
    def get(self, request):
        account = account_for_request(request)
        return Response(self._document(account, spend_cap_get(account=account),
                                       account_currency(account, timezone.now())))

    @extend_schema(request=SpendCapSerializer, responses={200: SpendCapSerializer, 400: _ERRORS})
    def put(self, request):
        account = account_for_request(request)
        currency = account_currency(account, timezone.now())
        # The service's document check: unknown keys and every bad value, each with its code.
        settings = spend_cap_from_document(request.data, currency=currency)
        settings = spend_cap_set(account=account, actor=actor_for_request(request), **settings.model_values())
        return Response(self._document(account, settings, currency))
