"""The merchant panel under /app/: every app's panel routes in one namespace, "panel".

Each app keeps its panel views and routes in its own `panel` package; this module only gathers
them, so a page is reversed as `panel:<name>` whichever app it lives in.
"""

from billing.panel import urls as billing_panel
from brands.panel import urls as brands_panel
from messaging.panel import urls as messaging_panel
from tracking.panel import urls as tracking_panel
from webhooks_out import panel as webhooks_panel

app_name = "panel"

urlpatterns = [
    *messaging_panel.urlpatterns,  # the dashboard (""), notifications, templates, messages, outbox
    *brands_panel.urlpatterns,
    *tracking_panel.urlpatterns,
    *billing_panel.urlpatterns,
    *webhooks_panel.urlpatterns,  # settings/webhooks/
]
