"""Panel routes of billing, gathered under /app/ by config/panel_urls.py."""

from django.urls import path

from billing.panel import views

urlpatterns = [
    path("billing/", views.BillingView.as_view(), name="billing"),
    path("billing/plan/", views.PlanChangeView.as_view(), name="plan-change"),
    path("billing/spend-cap/", views.SpendCapUpdateView.as_view(), name="spend-cap"),
    path("billing/invoices/<int:pk>/", views.InvoiceHtmlView.as_view(), name="invoice-html"),
    path("billing/invoices/<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="invoice-pdf"),
]
