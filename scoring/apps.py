from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self):
        from accounts.signals import metrics_recomputed
        from kamapp.audit import audit_register

        from .models import (
            Consensus,
            Decision,
            Factor,
            ForesightRating,
            Rating,
            RoundMember,
            ScoringRound,
        )

        # A rating's identity (round, customer, factor, rater, subject) never changes and is
        # in its description; only its value is tracked, so a save costs no extra lookups.
        audit_register(Rating, fields=["value"])
        audit_register(Factor, exclude=["round"])
        audit_register(ScoringRound, exclude=["created_at", "created_by"])
        audit_register(Consensus, fields=["value"])
        audit_register(ForesightRating, fields=["value"])
        audit_register(Decision, fields=["choice", "coverage", "rationale", "box_at_decision"])
        audit_register(RoundMember, fields=["user", "team_role"])

        from .receivers import derived_ratings_on_metrics_recomputed

        metrics_recomputed.connect(
            derived_ratings_on_metrics_recomputed, dispatch_uid="scoring_derived_ratings"
        )
