from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from brands.login_throttle import LockoutAdminAuthenticationForm, LockoutAuthenticationForm
from brands.panel.auth import InviteAcceptView, PasswordResetView, SignupView
from config.health import healthz
from core.metrics.exposition import metrics

# The admin's log-in says when a lockout is in force (the gate backend enforces it either way).
admin.site.login_form = LockoutAdminAuthenticationForm

api_v1 = [
    path("", include("brands.api.urls")),
    path("", include("tracking.api.urls")),
    path("", include("messaging.api.urls")),
    path("", include("billing.api.urls")),
    path("", include("webhooks_out.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Prometheus; 404 unless METRICS_TOKEN or METRICS_ALLOWED_IPS is set (core/metrics/exposition.py).
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=LockoutAuthenticationForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The log-in page's language picker (a cookie, for visitors not yet signed in).
    path("accounts/language/", set_language, name="set_language"),
    path("accounts/signup/", SignupView.as_view(), name="signup"),
    path("accounts/password-reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/invite/<uidb64>/<token>/", InviteAcceptView.as_view(), name="invite-accept"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script, so the CSP holds.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("app/", include("config.panel_urls")),
    path("", include("tracking.urls")),
    path("", include("messaging.urls")),
]

handler404 = "core.error_views.not_found"
handler500 = "core.error_views.server_error"
