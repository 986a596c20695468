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

        from kamapp.audit import audit_register

        from .models import AccountCoverage, BoxCoverage, Contact, ContactLogEntry
        from .services import box_coverage_defaults_ensure

        # Every change to an account's planning goes into the audit trail.
        audit_register(BoxCoverage)
        audit_register(AccountCoverage, exclude=["updated_at"])
        audit_register(Contact)
        audit_register(ContactLogEntry, exclude=["created_at"])
        post_migrate.connect(
            box_coverage_defaults_ensure, sender=self, dispatch_uid="box_coverage_defaults"
        )
