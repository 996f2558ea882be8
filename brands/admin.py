from django.contrib import admin

from brands.models import Account, ApiKey, Brand, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


class BrandInline(admin.TabularInline):
    model = Brand
    extra = 0
    fields = ("name", "slug", "whatsapp_number", "support_email", "default_language")
    show_change_link = True


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("company_name", "country", "plan", "created_at")
    list_filter = ("plan", "country")
    search_fields = ("company_name", "vat_number", "memberships__user__email")
    inlines = (MembershipInline, BrandInline)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "account", "default_language", "created_at")
    list_select_related = ("account",)
    search_fields = ("name", "slug", "account__company_name")
    list_filter = ("default_language",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "account", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("account",)
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("prefix", "account__company_name")
