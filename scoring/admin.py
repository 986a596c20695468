from django.contrib import admin

from .models import Factor, Rating, ScoringRound


class FactorInline(admin.TabularInline):
    model = Factor
    extra = 0
    fields = ["axis", "position", "name", "weight", "consideration"]


@admin.register(ScoringRound)
class ScoringRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "status", "attractiveness_cutoff", "strength_cutoff"]
    list_filter = ["status", "date"]
    search_fields = ["name"]
    inlines = [FactorInline]


@admin.register(Factor)
class FactorAdmin(admin.ModelAdmin):
    list_display = ["name", "round", "axis", "weight", "consideration", "position"]
    list_filter = ["round", "axis", "consideration"]
    search_fields = ["name"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["customer", "factor", "competitor", "rater", "value", "updated_at"]
    list_filter = ["round", "factor__axis", "rater", "competitor"]
    search_fields = ["customer__code", "customer__name", "factor__name"]
    list_select_related = ["customer", "factor", "rater", "competitor"]
    raw_id_fields = ["customer"]
