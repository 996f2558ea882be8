"""Panel routes of the tenancy core, gathered under /app/ (namespace "panel") by config/panel_urls.py."""

from django.urls import path

from brands.panel import brands, language, settings

urlpatterns = [
    path("brands/", brands.BrandListView.as_view(), name="brand-list"),
    path("brands/new/", brands.BrandCreateView.as_view(), name="brand-create"),
    path("brands/<int:pk>/", brands.BrandEditView.as_view(), name="brand-edit"),
    path("brands/<int:pk>/delete/", brands.BrandDeleteView.as_view(), name="brand-delete"),
    path("settings/", settings.SettingsView.as_view(), name="settings"),
    path("settings/account/", settings.AccountUpdateView.as_view(), name="account-update"),
    path("settings/time-zone/", settings.TimeZoneSaveView.as_view(), name="time-zone"),
    path("settings/keys/", settings.ApiKeyCreateView.as_view(), name="key-create"),
    path("settings/keys/<int:pk>/revoke/", settings.ApiKeyRevokeView.as_view(), name="key-revoke"),
    path("settings/language/", language.LanguageSaveView.as_view(), name="language"),
    path("settings/members/invite/", settings.MemberInviteView.as_view(), name="member-invite"),
]
