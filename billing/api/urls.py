"""API routes of this app, included under /api/v1/ by config/urls.py.

Names (namespace `api`): invoice-list, invoice-detail, invoice-pdf, invoice-html."""

from rest_framework.routers import SimpleRouter

from billing.api.views import InvoiceViewSet

router = SimpleRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")

urlpatterns = router.urls
