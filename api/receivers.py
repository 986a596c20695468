"""What the apps announce, sent on to the webhooks (connected in ApiConfig.ready)."""

from accounts.selectors import run_tier_changes

from .models import WebhookEvent
from .webhooks import webhook_event_emit


def on_ledger_import_finished(sender, *, ledger_import, **kwargs) -> None:
    webhook_event_emit(
        event=WebhookEvent.IMPORT_FINISHED,
        data={
            "import": ledger_import.pk,
            "file_name": ledger_import.file_name,
            "status": ledger_import.status,
            "lines_imported": ledger_import.rows_imported,
            "lines_already_there": ledger_import.rows_duplicate,
            "rows_with_errors": ledger_import.rows_invalid,
        },
    )


def on_metrics_recomputed(sender, *, run, **kwargs) -> None:
    webhook_event_emit(
        event=WebhookEvent.TIERS_RECOMPUTED,
        data={
            "run": run.pk,
            "finished_at": run.finished_at,
            "tier_changes": run_tier_changes(run=run),
        },
    )


def on_round_stage_changed(sender, *, scoring_round, from_status, to_status, **kwargs) -> None:
    webhook_event_emit(
        event=WebhookEvent.ROUND_STAGE_CHANGED,
        data={
            "round": scoring_round.pk,
            "name": scoring_round.name,
            "from": from_status,
            "to": to_status,
        },
    )


def on_decision_recorded(sender, *, decision, **kwargs) -> None:
    webhook_event_emit(
        event=WebhookEvent.DECISION_RECORDED,
        data={
            "round": decision.round_id,
            "customer": decision.customer.code,
            "choice": decision.choice,
            "coverage": decision.coverage,
            "box_at_decision": decision.box_at_decision,
        },
    )
