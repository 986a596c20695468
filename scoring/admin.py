from django.contrib import admin
from django.db.models import Q

from .models import BLIND_STATUSES, Factor, Rating, ScoringRound


def _locked(scoring_round) -> bool:
    """Decided and archived rounds accept no change anywhere, the admin included."""
    return scoring_round is not None and scoring_round.is_locked


class LockedRoundReadOnly:
    """Admin pages of a round or of what belongs to one: read-only once it is decided."""

    def round_of(self, obj):
        return getattr(obj, "round", None)

    def has_change_permission(self, request, obj=None):
        return not _locked(self.round_of(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(self.round_of(obj)) and super().has_delete_permission(request, obj)


class FactorInline(LockedRoundReadOnly, admin.TabularInline):
    model = Factor
    extra = 0
    fields = ["axis", "position", "name", "weight", "consideration"]

    def round_of(self, obj):
        return obj  # an inline's permissions are asked with the parent round

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)


@admin.register(ScoringRound)
class ScoringRoundAdmin(LockedRoundReadOnly, admin.ModelAdmin):
    list_display = ["name", "date", "status", "attractiveness_cutoff", "strength_cutoff"]
    list_filter = ["status", "date"]
    search_fields = ["name"]
    inlines = [FactorInline]

    def round_of(self, obj):
        return obj


@admin.register(Factor)
class FactorAdmin(LockedRoundReadOnly, admin.ModelAdmin):
    list_display = ["name", "round", "axis", "weight", "consideration", "position"]
    list_filter = ["round", "axis", "consideration"]
    search_fields = ["name"]


@admin.register(Rating)
class RatingAdmin(LockedRoundReadOnly, admin.ModelAdmin):
    list_display = ["customer", "factor", "competitor", "rater", "value", "updated_at"]
    list_filter = ["round", "factor__axis", "rater", "competitor"]
    search_fields = ["customer__code", "customer__name", "factor__name"]
    list_select_related = ["customer", "factor", "rater", "competitor"]
    raw_id_fields = ["customer"]

    def get_queryset(self, request):
        # Scoring is blind in the admin as on the pages (`round_view_rater`): before the
        # meeting an admin sees only their own ratings of a round, never the others'.
        ratings = super().get_queryset(request)
        return ratings.filter(~Q(round__status__in=BLIND_STATUSES) | Q(rater=request.user))
