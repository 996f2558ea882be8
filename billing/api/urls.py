"""API routes of this app, included under /api/v1/ by config/urls.py.

Names (namespace `api`): invoice-list, invoice-detail, invoice-pdf, invoice-html, spend-cap."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from billing.api.spend import SpendCapView
from billing.api.views import InvoiceViewSet

router = SimpleRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")

urlpatterns = [
    path("account/spend-cap/", SpendCapView.as_view(), name="spend-cap"),
    *router.urls,
]
