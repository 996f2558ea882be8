"""Public pages of tracking: /track/<token>/ and /track/b/<brand_slug>/, and carrier webhooks."""

from django.urls import path

from tracking import views, webhooks

app_name = "tracking"

urlpatterns = [
    path("track/b/<slug:slug>/", views.brand_lookup, name="lookup"),
    path("track/<slug:token>/", views.track_page, name="page"),
    path("webhooks/carriers/<slug:carrier>/", webhooks.carrier_webhook, name="carrier-webhook"),
]
