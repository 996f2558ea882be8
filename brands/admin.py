from django.contrib import admin
from django.db import models

from brands.models import Account, ApiKey, AuditEvent, Brand, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


class BrandInline(admin.TabularInline):
    model = Brand
    extra = 0
    fields = ("name", "slug", "whatsapp_number", "support_email", "default_language", "deleted_at")
    readonly_fields = ("deleted_at",)
    show_change_link = True


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("company_name", "country", "plan", "retention_days", "created_at", "closed_at")
    list_filter = ("plan", "country")
    search_fields = ("company_name", "vat_number", "memberships__user__email")
    inlines = (MembershipInline, BrandInline)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    # A logo URL typed without a scheme is https (Django 6's default; 5.2 still assumes http).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # noqa: RUF012 - Django's own attribute
    list_display = ("name", "slug", "account", "default_language", "created_at", "deleted_at")
    list_select_related = ("account",)
    search_fields = ("name", "slug", "account__company_name")
    list_filter = ("default_language", ("deleted_at", admin.EmptyFieldListFilter))
    # Set by brands.services.brand_delete only (it also stops the brand's messages and polling).
    readonly_fields = ("deleted_at",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "account", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("account",)
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("prefix", "account__company_name")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by services, never edited."""

    list_display = ("created_at", "account", "actor_label", "action", "object_type", "object_id", "ip")
    list_filter = ("action",)
    list_select_related = ("account",)
    search_fields = ("account__company_name", "actor_label", "action", "object_id")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
