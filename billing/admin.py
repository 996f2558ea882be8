from django.contrib import admin

from billing import invoice_admin  # noqa: F401 - registers Invoice and Charge
from billing.models import Plan, PriceRule, VatRate


class PriceRuleInline(admin.TabularInline):
    model = PriceRule
    extra = 0
    fields = ("company_country", "valid_from", "unit_price", "currency")
    ordering = ("company_country", "-valid_from")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "whatsapp_allowed", "max_whatsapp_countries", "sort_order")
    list_editable = ("sort_order",)
    list_filter = ("whatsapp_allowed",)
    search_fields = ("code", "name")
    inlines = (PriceRuleInline,)

    def get_readonly_fields(self, request, obj=None):
        # Accounts store the code: renaming it would orphan them.
        return ("code",) if obj is not None else ()


@admin.register(PriceRule)
class PriceRuleAdmin(admin.ModelAdmin):
    list_display = ("plan", "company_country", "valid_from", "unit_price", "currency")
    list_select_related = ("plan",)
    list_filter = ("plan", "currency", "company_country", ("valid_from", admin.DateFieldListFilter))
    date_hierarchy = "valid_from"
    ordering = ("plan__sort_order", "company_country", "-valid_from")


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    """Standard VAT rates by the customer's registered country. Invoices snapshot the rate when
    they are made: a change here applies to the next invoices, never to existing ones."""

    list_display = ("country", "rate", "updated_at")
    search_fields = ("country",)
    ordering = ("country",)
