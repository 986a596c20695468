from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Managing the chosen accounts: coverage, plans, relationships, contacts, NPS and
    whitespace. It depends on accounts and reads scoring's decisions through its
    selectors; neither of them imports planning."""

    name = "planning"
    verbose_name = _("Account planning")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.extensions import (
            CustomerExtension,
            customer_column_register,
            customer_panel_register,
        )
        from accounts.signals import metrics_recomputed
        from kamapp.audit import audit_register
        from scoring.metric_providers import metric_provider_register
        from scoring.models import DerivedMetric

        from .models import (
            AccountCoverage,
            AccountPlan,
            BoxCoverage,
            Contact,
            ContactLogEntry,
            NpsAnswer,
            Objective,
            ObjectiveValue,
            PlanAction,
            ProductGroupRule,
            SurveyImport,
            WhitespaceSettings,
        )
        from .receivers import objectives_track_on_metrics_recomputed
        from .selectors import last_contacts_of
        from .selectors.nps import nps_metric_values
        from .services import box_coverage_defaults_ensure

        # Every change to an account's planning goes into the audit trail.
        audit_register(BoxCoverage)
        audit_register(AccountCoverage, exclude=["updated_at"])
        audit_register(Contact)
        audit_register(ContactLogEntry, exclude=["created_at"])
        audit_register(AccountPlan, exclude=["created_at", "updated_at"])
        audit_register(Objective)
        audit_register(ObjectiveValue)
        audit_register(PlanAction)
        audit_register(ProductGroupRule)
        audit_register(WhitespaceSettings)
        # Objectives bound to a ledger metric record its value after every recompute.
        metrics_recomputed.connect(
            objectives_track_on_metrics_recomputed, dispatch_uid="planning_objectives_track"
        )
        # The four boxes' defaults come back after a flush (as the role groups do).
        post_migrate.connect(
            box_coverage_defaults_ensure, sender=self, dispatch_uid="box_coverage_defaults"
        )

        # The customer list and page show each account's last contact (accounts never
        # imports planning: it draws what is registered here).
        customer_column_register(
            CustomerExtension(
                key="last_contact",
                label=_("Last contact"),
                template="planning/_last_contact_cell.html",
                values=last_contacts_of,
            )
        )
        customer_panel_register(
            CustomerExtension(
                key="relationships",
                label=_("Relationships and contacts"),
                template="planning/_customer_panel.html",
                values=last_contacts_of,
            )
        )
        audit_register(SurveyImport, fields=["status", "file_name", "rows_imported"])
        audit_register(NpsAnswer, exclude=["survey_import"])

        # The NPS rates a strength factor bound to it (scoring never imports planning).
        metric_provider_register(metric=DerivedMetric.NPS, provider=nps_metric_values)
