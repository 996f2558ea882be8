"""Panel routes of tracking, gathered under /app/ by config/panel_urls.py."""

from django.urls import path

from tracking.panel import views

urlpatterns = [
    path("shipments/", views.ShipmentListView.as_view(), name="shipment-list"),
    path("shipments/new/", views.ShipmentCreateView.as_view(), name="shipment-create"),
    path("shipments/<int:pk>/", views.ShipmentDetailView.as_view(), name="shipment-detail"),
    path("shipments/<int:pk>/events/", views.ShipmentEventView.as_view(), name="shipment-event"),
]
