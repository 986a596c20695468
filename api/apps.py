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

        from accounts.signals import ledger_import_finished, metrics_recomputed
        from scoring.signals import decision_recorded, round_stage_changed

        from . import receivers

        # What the apps announce goes on to the webhooks registered for it.
        for signal, receiver in (
            (ledger_import_finished, receivers.on_ledger_import_finished),
            (metrics_recomputed, receivers.on_metrics_recomputed),
            (round_stage_changed, receivers.on_round_stage_changed),
            (decision_recorded, receivers.on_decision_recorded),
        ):
            signal.connect(receiver, dispatch_uid=f"api_webhooks_{receiver.__name__}")
