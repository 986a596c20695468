from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from .audit import audit_entry_mark_token

        # Every write made with a token is recorded with the token's name.
        pre_save.connect(audit_entry_mark_token, sender=LogEntry, dispatch_uid="api_token_audit")
