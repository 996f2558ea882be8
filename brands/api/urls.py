from django.urls import path
from rest_framework.routers import SimpleRouter

from brands.api.account import AccountExportView, AccountView, AuditEventListView
from brands.api.views import BrandViewSet

router = SimpleRouter()
router.register("brands", BrandViewSet, basename="brand")

urlpatterns = [
    path("account/", AccountView.as_view(), name="account"),
    path("account/export/", AccountExportView.as_view(), name="account-export"),
    path("audit-events/", AuditEventListView.as_view(), name="audit-events"),
    *router.urls,
]
