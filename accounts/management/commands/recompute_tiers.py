"""Recompute every customer's metrics, tier, signals and stage now (for cron and operators)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import MetricsRun
from accounts.services import MetricsRunBusy, metrics_recompute


class Command(BaseCommand):
    help = "Recompute metrics and Pareto tiers from the whole ledger, in this process."

    def handle(self, *args, **options):
        try:
            run = metrics_recompute(trigger=MetricsRun.Trigger.COMMAND)
        except MetricsRunBusy as exc:
            raise CommandError("Another recompute is running; nothing was written.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {run.customers} customers in {run.duration:.2f} s "
                f"(period {run.period_start} to {run.period_end}); "
                f"{run.tier_changes} changed tier."
            )
        )
