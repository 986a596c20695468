"""Load the demo company (customers, ledger, competitors, a scored round)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Customer, MetricsRun
from accounts.services import metrics_recompute
from demo.data import DEMO_PASSWORD
from demo.services import demo_company_seed
from planning.selectors import cadence_overdue
from planning.services import cadence_flags_record


class Command(BaseCommand):
    help = "Create a believable demo company. Safe to run twice: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds customers.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Customer.objects.exists():
            self.stdout.write("Customers already present; demo data not loaded.")
            return
        summary = demo_company_seed(create_logins=settings.DEBUG)
        run = metrics_recompute(trigger=MetricsRun.Trigger.COMMAND)
        self.stdout.write(f"Pareto tiers computed for {run.customers} customers.")
        # What the nightly cadence check would flag, on the owners' dashboards at once (its
        # e-mail digests wait for the first night).
        today = timezone.localdate()
        flagged, _cleared = cadence_flags_record(overdue=cadence_overdue(today=today), today=today)
        self.stdout.write(f"{flagged} accounts flagged as not contacted within their cadence.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo company ready: {summary.customers} customers, "
                f"{summary.ledger_lines} ledger lines, {summary.ratings} ratings, "
                f"{summary.plans} account plans."
            )
        )
        if summary.users:
            self.stdout.write(f"Sign in as {', '.join(summary.users)} (password: {DEMO_PASSWORD}).")
        else:
            self.stdout.write("DEBUG is off: no demo sign-in users were created.")
