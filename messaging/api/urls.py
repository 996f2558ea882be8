"""API routes of this app, included under /api/v1/ by config/urls.py.

Routes under a brand name their parameter `brand_pk`: the views look the brand up through the
account (404 for another account's), and the cross-account sweep fills it with a brand."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from messaging.api.consent import WhatsAppConsentView
from messaging.api.conversations import ConversationViewSet
from messaging.api.messages import MessageViewSet, UsageView
from messaging.api.notifications import ChannelDocumentView, NotificationListView
from messaging.api.sending_policy import SendingPolicyView
from messaging.api.shopper_requests import FeedbackViewSet, ShopperRequestViewSet
from messaging.api.templates import TemplateDetailView, TemplateListView, TemplatePreviewView
from messaging.api.whatsapp_templates import WhatsAppTemplateListView
from messaging.api.whatsapp_sender import WhatsAppSenderView

router = SimpleRouter()
router.register("messages", MessageViewSet, basename="message")
router.register("shopper-requests", ShopperRequestViewSet, basename="shopper-request")
router.register("feedback", FeedbackViewSet, basename="feedback")
router.register("conversations", ConversationViewSet, basename="conversation")

urlpatterns = [
    path("usage/", UsageView.as_view(), name="usage"),
    path("account/whatsapp-consent/", WhatsAppConsentView.as_view(), name="whatsapp-consent"),
    path("whatsapp/templates/", WhatsAppTemplateListView.as_view(), name="whatsapp-templates"),
    path("brands/<int:brand_pk>/notifications/", NotificationListView.as_view(), name="brand-notifications"),
    path(
        "brands/<int:brand_pk>/notifications/<str:channel>/",
        ChannelDocumentView.as_view(),
        name="brand-notification-channel",
    ),
    path("brands/<int:brand_pk>/sending-policy/", SendingPolicyView.as_view(), name="brand-sending-policy"),
    path("brands/<int:brand_pk>/whatsapp-sender/", WhatsAppSenderView.as_view(), name="brand-whatsapp-sender"),
    path("brands/<int:brand_pk>/templates/", TemplateListView.as_view(), name="brand-templates"),
    path("brands/<int:brand_pk>/templates/preview/", TemplatePreviewView.as_view(), name="brand-template-preview"),
    path(
        "brands/<int:brand_pk>/templates/<str:channel>/<str:status>/<str:language>/",
        TemplateDetailView.as_view(),
        name="brand-template",
    ),
]
urlpatterns += router.urls
