from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Managing the chosen accounts: coverage, plans, relationships, contacts, NPS and
    whitespace. It depends on accounts and reads scoring's decisions through its
    selectors; neither of them imports planning."""

    name = "planning"
    verbose_name = _("Account planning")

    def ready(self):
        from kamapp.audit import audit_register
        from scoring.metric_providers import metric_provider_register
        from scoring.models import DerivedMetric

        from .models import BoxCoverage, Contact, ContactLogEntry, NpsAnswer, SurveyImport
        from .selectors.nps import nps_metric_values

        # Every change to an account's planning goes into the audit trail.
        audit_register(BoxCoverage)
        audit_register(Contact)
        audit_register(ContactLogEntry, exclude=["created_at"])
        audit_register(SurveyImport, fields=["status", "file_name", "rows_imported"])
        audit_register(NpsAnswer, exclude=["survey_import"])

        # The NPS rates a strength factor bound to it (scoring never imports planning).
        metric_provider_register(metric=DerivedMetric.NPS, provider=nps_metric_values)
