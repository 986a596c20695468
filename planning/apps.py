from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    """Managing the chosen accounts: coverage, plans, relationships, contacts, NPS and
    whitespace. It depends on accounts and reads scoring's decisions through its
    selectors; neither of them imports planning."""

    name = "planning"
    verbose_name = _("Account planning")
