from django.contrib import admin

from messaging.models import (
    ChannelCountry,
    ChannelSetting,
    StatusToggle,
    TemplateOverride,
    WhatsAppConsent,
    WhatsAppTemplate,
    WhatsAppSender,
)


class ChannelCountryInline(admin.TabularInline):
    model = ChannelCountry
    extra = 0
    fields = ("country", "created_at")
    readonly_fields = ("created_at",)
    show_change_link = True


@admin.register(ChannelSetting)
class ChannelSettingAdmin(admin.ModelAdmin):
    """For looking into an account. Merchants change settings through the panel and the API,
    where plan limits and consent are enforced; edits here bypass those checks."""

    list_display = ("brand", "channel", "enabled", "updated_at")
    list_select_related = ("brand",)
    list_filter = ("channel", "enabled")
    search_fields = ("brand__name", "brand__slug", "brand__account__company_name")
    raw_id_fields = ("brand",)
    inlines = (ChannelCountryInline,)


class StatusToggleInline(admin.TabularInline):
    model = StatusToggle
    extra = 0
    fields = ("status", "enabled")


@admin.register(ChannelCountry)
class ChannelCountryAdmin(admin.ModelAdmin):
    list_display = ("setting", "country")
    list_select_related = ("setting__brand",)
    list_filter = ("setting__channel", "country")
    search_fields = ("setting__brand__name",)
    raw_id_fields = ("setting",)
    inlines = (StatusToggleInline,)


@admin.register(WhatsAppConsent)
class WhatsAppConsentAdmin(admin.ModelAdmin):
    list_display = ("account", "given_by_label", "given_at", "plan", "unit_price", "currency")
    list_select_related = ("account",)
    list_filter = ("plan",)
    search_fields = ("account__company_name", "given_by_label")
    date_hierarchy = "given_at"

    # A consent is a record of what a merchant accepted: never edited afterwards.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(TemplateOverride)
class TemplateOverrideAdmin(admin.ModelAdmin):
    list_display = ("brand", "channel", "status", "language", "updated_at")
    list_select_related = ("brand",)
    list_filter = ("channel", "status", "language")
    search_fields = ("brand__name", "subject", "body")
    raw_id_fields = ("brand",)
    readonly_fields = ("created_at", "updated_at")

    # Texts are saved through messaging.services.templates, which checks every tag; the admin
    # only looks (and may delete an override, which returns the brand to the default).
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(WhatsAppTemplate)
class WhatsAppTemplateAdmin(admin.ModelAdmin):
    """What Meta says of each template (sync and webhooks write it; read-only here), and how many
    messages wait on each (held `scheduled` with `template_not_approved`)."""

    list_display = ("name", "language", "status", "category", "quality", "waiting", "business_account_id",
                    "synced_at")
    list_filter = ("status", "category", "quality", "language", "business_account_id")
    search_fields = ("name", "meta_id")
    readonly_fields = tuple(field.name for field in WhatsAppTemplate._meta.fields)

    def get_queryset(self, request):
        from messaging.whatsapp_template_selectors import with_waiting_counts

        return with_waiting_counts(super().get_queryset(request))

    @admin.display(description="Messages waiting", ordering="waiting")
    def waiting(self, obj) -> int:
        return obj.waiting
@admin.register(WhatsAppSender)
class WhatsAppSenderAdmin(admin.ModelAdmin):
    """Brands' own WhatsApp numbers, to look into; merchants connect them (the token is checked
    with Meta then), so admins neither add nor edit them here, and the token is never shown."""

    list_display = ("brand", "display_phone_number", "verified_name", "quality_rating", "phone_number_id",
                    "business_account_id", "connected_at")
    list_select_related = ("brand",)
    search_fields = ("brand__name", "phone_number_id", "business_account_id", "display_phone_number")
    exclude = ("access_token_encrypted",)
    readonly_fields = ("brand", "phone_number_id", "business_account_id", "display_phone_number", "verified_name",
                       "quality_rating", "previous_whatsapp_number", "connected_at", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
