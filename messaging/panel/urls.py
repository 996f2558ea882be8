"""Panel routes of messaging (and the dashboard), gathered under /app/ by config/panel_urls.py."""

from django.urls import path

from messaging.panel import (
    dashboard,
    grid,
    inbox,
    messages,
    notifications,
    requests,
    sending_policy,
    templates_editor,
    whatsapp_sender,
)

_channel = "brands/<int:brand_id>/notifications/<str:channel>/"
_editor = "brands/<int:brand_id>/templates/<str:channel>/"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("notifications/", notifications.NotificationsHome.as_view(), name="notifications-home"),
    path("notifications/policy/", sending_policy.SendingPolicyHome.as_view(), name="notifications-policy-home"),
    path("brands/<int:brand_id>/sending-policy/", sending_policy.SendingPolicyView.as_view(),
         name="notifications-policy"),
    path(_channel, notifications.NotificationsView.as_view(), name="notifications"),
    path(_channel + "switch/", notifications.ChannelSwitchView.as_view(), name="notifications-switch"),
    path(_channel + "countries/", grid.CountriesAddView.as_view(), name="notifications-country-add"),
    path(_channel + "countries/<str:country>/remove/", grid.CountryRemoveView.as_view(),
         name="notifications-country-remove"),
    path(_channel + "toggle/", grid.ToggleView.as_view(), name="notifications-toggle"),
    path(_channel + "toggles/", grid.BulkToggleView.as_view(), name="notifications-toggles"),
    path(_channel + "copy/", grid.CopyFromView.as_view(), name="notifications-copy"),
    path(_channel + "consent/", notifications.ConsentView.as_view(), name="notifications-consent"),
    path("templates/", templates_editor.TemplatesHome.as_view(), name="templates-home"),
    path(_editor, templates_editor.TemplateEditorView.as_view(), name="template-editor"),
    path(_editor + "reset/", templates_editor.TemplateResetView.as_view(), name="template-reset"),
    path(_editor + "preview/", templates_editor.TemplatePreviewView.as_view(), name="template-preview"),
    path(_editor + "send-test/", templates_editor.TemplateSendTestView.as_view(), name="template-send-test"),
    path("brands/<int:brand_id>/whatsapp-sender/", whatsapp_sender.WhatsAppSenderConnectView.as_view(),
         name="whatsapp-sender-connect"),
    path("brands/<int:brand_id>/whatsapp-sender/disconnect/", whatsapp_sender.WhatsAppSenderDisconnectView.as_view(),
         name="whatsapp-sender-disconnect"),
    path("messages/", messages.MessageListView.as_view(), name="message-list"),
    path("outbox/", messages.OutboxView.as_view(), name="outbox"),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", inbox.ConversationView.as_view(), name="conversation"),
    path("requests/", requests.RequestListView.as_view(), name="requests"),
    path("requests/<int:pk>/done/", requests.RequestDoneView.as_view(), name="request-done"),
    path("shipments/<int:pk>/messages/", messages.ShipmentMessagesView.as_view(), name="shipment-messages"),
]
