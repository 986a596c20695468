from django.contrib import admin

from .models import Competitor, Customer, LedgerLine, Segment


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "segment", "owner", "competitor_targeted", "updated_at"]
    list_filter = ["segment", "owner", "competitor_targeted"]
    search_fields = ["code", "name"]
    list_select_related = ["segment", "owner"]
    autocomplete_fields = ["segment"]


@admin.register(LedgerLine)
class LedgerLineAdmin(admin.ModelAdmin):
    list_display = [
        "invoice_number",
        "line_key",
        "invoice_date",
        "customer",
        "product_code",
        "quantity",
        "amount",
    ]
    list_filter = ["invoice_date"]
    search_fields = ["invoice_number", "customer__code", "customer__name", "product_code"]
    list_select_related = ["customer"]
    date_hierarchy = "invoice_date"
    raw_id_fields = ["customer"]
    show_full_result_count = False
