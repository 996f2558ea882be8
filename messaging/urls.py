"""Public endpoints of messaging: provider webhooks, /unsubscribe/<token>/, the SMS short links
/s/<code> and /rate/<token>/<score>/."""

from django.urls import path

from messaging import short_link_views, unsubscribe_views, webhook_views
from messaging.conversations import rating_views

urlpatterns = [
    path("webhooks/whatsapp/", webhook_views.whatsapp_webhook, name="webhook-whatsapp"),
    path("webhooks/twilio/status/", webhook_views.twilio_status, name="webhook-twilio-status"),
    path("webhooks/twilio/inbound/", webhook_views.twilio_inbound, name="webhook-twilio-inbound"),
    path("s/<str:code>", short_link_views.short_link, name="short-link"),
    path("unsubscribe/<str:token>/", unsubscribe_views.unsubscribe, name="unsubscribe"),
    path("rate/<str:token>/<int:score>/", rating_views.rate, name="rate"),
]
