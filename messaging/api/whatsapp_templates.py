"""/whatsapp/templates/: the WhatsApp templates the account's messages are sent with, and what
Meta says of each (a template not approved, or no longer a utility one, holds or reroutes them)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from brands.scoping import account_for_request
from messaging.whatsapp_template_selectors import whatsapp_template_list


class WhatsAppTemplateListView(APIView):
    """Not paginated: a business account holds a few hundred templates at most."""

    class OutputSerializer(serializers.Serializer):
        name = serializers.CharField(help_text="e.g. pc_delivered_v3: the status it serves, and a version; "
                                               "pc_delivered_v3_ttl30: its variant that Meta stops delivering "
                                               "after 30 minutes, sent by brands with channel fallback on.")
        language = serializers.CharField(help_text="Meta's language code.")
        status = serializers.CharField(help_text="APPROVED, PENDING, REJECTED, PAUSED or DISABLED (Meta's word).")
        category = serializers.CharField(help_text="UTILITY; MARKETING when Meta re-categorised it.")
        quality = serializers.CharField(help_text="GREEN, YELLOW, RED or UNKNOWN.")

        class Meta:
            ref_name = "WhatsAppTemplate"

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        rows = whatsapp_template_list(account=account_for_request(request))
        return Response(self.OutputSerializer(rows, many=True).data)
