from auditlog.admin import LogEntryAdmin
from auditlog.filters import ResourceTypeFilter
from auditlog.models import LogEntry
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    CompanySettings,
    Competitor,
    CurrencyRate,
    Customer,
    LedgerLine,
    MetricsRun,
    Segment,
)


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


@admin.register(CurrencyRate)
class CurrencyRateAdmin(admin.ModelAdmin):
    """The rate table: ledger lines in these currencies are converted month by month."""

    list_display = ["currency", "month", "rate", "updated_by", "updated_at"]
    list_filter = ["currency"]
    date_hierarchy = "month"
    fields = ["currency", "month", "rate"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CompanySettings)
class CompanySettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["currency"]}),
        (
            _("Pareto tiers"),
            {
                "fields": [
                    "measure",
                    "period_months",
                    "period_calendar_months",
                    "tier_a_share",
                    "tier_b_share",
                ]
            },
        ),
        (
            _("Key-account signals and relationship stage"),
            {
                "fields": [
                    "large_buyer_tier",
                    "large_buyer_min_months",
                    "loyal_years",
                    "growing_growth",
                    "declining_growth",
                    "lapsed_months",
                    "late_payer_days",
                ]
            },
        ),
        (
            _("Matrix"),
            {
                "fields": [
                    "attractiveness_cutoff",
                    "strength_cutoff",
                    "box_key_name",
                    "box_key_development_name",
                    "box_maintenance_name",
                    "box_opportunistic_name",
                    "key_account_limit",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return not CompanySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MetricsRun)
class MetricsRunAdmin(admin.ModelAdmin):
    """Runs are written by the recompute only; admins read them here."""

    list_display = [
        "started_at",
        "status",
        "trigger",
        "started_by",
        "duration",
        "customers",
        "tier_changes",
    ]
    list_filter = ["status", "trigger"]
    list_select_related = ["started_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The audit trail: read-only (django-auditlog's admin allows no add, change or delete),
# filterable by action, model, user and date.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditEntryAdmin(LogEntryAdmin):
    list_filter = [
        "action",
        ResourceTypeFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("timestamp", admin.DateFieldListFilter),
    ]
