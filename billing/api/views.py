"""GET /api/v1/invoices/, /invoices/{id}/, /invoices/{id}/pdf/ and /invoices/{id}/html/.

Merchants see only issued and paid invoices of their own account: a draft, a void invoice and
another account's invoice are all the same 404.
"""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, viewsets
from rest_framework.decorators import action

from billing.api.serializers import InvoiceOutputSerializer
from billing.documents import invoice_html_response, invoice_pdf_response
from billing.models import Invoice
from billing.selectors import invoice_list
from brands.scoping import AccountScopedAPIMixin


class PDFRenderer(renderers.BaseRenderer):
    """Lets `Accept: application/pdf` through content negotiation; errors still come out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | bytearray):
            return bytes(data)
        if renderer_context and renderer_context.get("response") is not None:
            renderer_context["response"]["Content-Type"] = "application/json"
        return json.dumps(data).encode()


class InvoiceViewSet(AccountScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """The account's issued and paid invoices, newest month first, with their lines."""

    scoped_model = Invoice
    serializer_class = InvoiceOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        return invoice_list(account=self.account)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        return invoice_pdf_response(self.get_object())

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, renderers.StaticHTMLRenderer])
    def html(self, request, pk=None):
        """The printable invoice page (print it, or save it as PDF from the browser)."""
        return invoice_html_response(self.get_object(), request=request)
