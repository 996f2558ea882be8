"""API routes of this app, included under /api/v1/ by config/urls.py."""

from django.urls import path

from tracking.api import views

urlpatterns = [
    path("shipments/", views.ShipmentListCreateApi.as_view(), name="shipment-list"),
    path("shipments/<int:pk>/", views.ShipmentDetailApi.as_view(), name="shipment-detail"),
    path("shipments/<int:pk>/events/", views.ShipmentEventsApi.as_view(), name="shipment-events"),
    path("tracking-events/", views.TrackingEventsBulkApi.as_view(), name="tracking-events"),
]
