from django.urls import path

from brands.panel.views import DashboardView

app_name = "panel"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
]
