from django.contrib import admin

from tracking.models import LaneStat, Shipment, TrackingEvent


class TrackingEventInline(admin.TabularInline):
    model = TrackingEvent
    extra = 0
    fields = ("occurred_at", "status", "raw_code", "description", "location", "external_id", "source")
    readonly_fields = fields  # events are facts from carriers/integrations: add them through the API
    ordering = ("-occurred_at", "-id")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("tracking_number", "carrier", "brand", "order_number", "status", "status_at", "next_poll_at",
                    "created_at")
    list_filter = ("carrier", "status", "to_country")
    list_select_related = ("brand",)
    search_fields = (
        "tracking_number", "order_number", "recipient_email", "brand__name", "brand__account__company_name",
    )
    raw_id_fields = ("brand",)
    readonly_fields = ("tracking_token", "status", "status_at", "last_polled_at", "poll_failures", "last_scan_at",
                       "created_at")
    date_hierarchy = "created_at"
    inlines = (TrackingEventInline,)


@admin.register(TrackingEvent)
class TrackingEventAdmin(admin.ModelAdmin):
    list_display = ("shipment", "status", "occurred_at", "location", "source", "recorded_at")
    list_filter = ("status", "source", "shipment__carrier")
    list_select_related = ("shipment",)
    search_fields = ("shipment__tracking_number", "external_id", "description")
    raw_id_fields = ("shipment",)
    date_hierarchy = "occurred_at"

    # Events enter through services only (they move statuses and announce changes).
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LaneStat)
class LaneStatAdmin(admin.ModelAdmin):
    """What "much longer than usual" means per lane; learnt by a task, so read-only here."""

    list_display = ("carrier", "country", "gaps", "p90_seconds", "computed_at")
    list_filter = ("carrier",)
    ordering = ("carrier", "country")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
