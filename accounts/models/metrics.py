"""Per-customer metrics and Pareto tiers, computed from the ledger by a metrics run."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .customers import Customer


class Tier(models.TextChoices):
    A = "A", _("A")
    B = "B", _("B")
    C = "C", _("C")


class Stage(models.TextChoices):
    NEW = "new", _("New")
    GROWING = "growing", _("Growing")
    STEADY = "steady", _("Steady")
    DECLINING = "declining", _("Declining")
    LAPSED = "lapsed", _("Lapsed")
    NONE = "none", _("No purchases")


class MetricsRun(models.Model):
    """One recompute of the metrics and tiers: when, how long, what changed.

    At most one run is `running` at a time (a partial unique constraint): that row is the
    lock that keeps two recomputes from both writing.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Nightly schedule")
        MANUAL = "manual", _("Started from the dashboard")
        COMMAND = "command", _("Command line")
        IMPORT = "import", _("Ledger import")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    measure = models.CharField(_("measure"), max_length=10, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    customers = models.PositiveIntegerField(_("customers"), default=0)
    ledger_lines = models.PositiveIntegerField(_("ledger lines in the period"), default=0)
    tier_changes = models.PositiveIntegerField(_("customers that changed tier"), default=0)
    # {"A>B": 3, ...}: how many customers moved from one tier to another in this run.
    tier_moves = models.JSONField(_("moves between tiers"), default=dict, blank=True)
    median_monthly_revenue = models.DecimalField(
        _("median monthly revenue"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"
        verbose_name = _("metrics run")
        verbose_name_plural = _("metrics runs")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="running"),
                name="metricsrun_one_running",
            )
        ]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class CustomerMetrics(models.Model):
    """A customer's metrics, tier, signals and stage from the latest successful run."""

    customer = models.OneToOneField(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="metrics",
    )
    # Rows are rewritten in bulk by every run, which created the run row itself: a database
    # check per row would only slow the write down.
    run = models.ForeignKey(
        MetricsRun,
        verbose_name=_("run"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    revenue = models.DecimalField(_("revenue"), max_digits=18, decimal_places=2, default=0)
    margin = models.DecimalField(
        _("margin"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # The measure the tiers are computed from (revenue or margin, a company setting).
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, default=0)
    share = models.FloatField(_("share"), default=0)
    cumulative_share = models.FloatField(_("cumulative share"), default=0)
    rank = models.PositiveIntegerField(_("rank"), db_index=True)
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, db_index=True)
    invoices = models.PositiveIntegerField(_("invoices"), default=0)
    months_active = models.PositiveSmallIntegerField(_("months with purchases"), default=0)
    first_purchase = models.DateField(_("first purchase"), null=True, blank=True)
    last_purchase = models.DateField(_("last purchase"), null=True, blank=True)
    previous_revenue = models.DecimalField(
        _("revenue in the previous period"), max_digits=18, decimal_places=2, default=0
    )
    growth = models.FloatField(_("growth"), null=True, blank=True)
    avg_monthly_revenue = models.DecimalField(
        _("average monthly revenue"), max_digits=18, decimal_places=2, default=0
    )
    avg_days_late = models.FloatField(_("average days late"), null=True, blank=True)
    large_buyer = models.BooleanField(_("large continuous buyer"), default=False)
    pareto_top = models.BooleanField(_("Pareto top"), default=False)
    loyal = models.BooleanField(_("loyal"), default=False)
    late_payer = models.BooleanField(_("late payer"), default=False)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    # When any of the values above last changed: a run that recomputes the same values keeps
    # the earlier time (the API's changed_since reads it). `fingerprint` is the hash of the
    # values that run compared; null before the first run that set it.
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True, db_index=True)
    fingerprint = models.BigIntegerField(_("fingerprint"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer metrics")
        verbose_name_plural = _("customer metrics")

    def __str__(self):
        return f"{self.customer_id}: {self.tier}"


class TierSnapshot(models.Model):
    """A customer's tier as one run left it: the tier history."""

    # 50,000 rows a night for a large company: no per-row foreign-key check in the database
    # (it doubles the write time on PostgreSQL); Django's on_delete still removes a
    # customer's or a run's snapshots with them.
    run = models.ForeignKey(
        MetricsRun,
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="snapshots",
        db_constraint=False,
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("tier snapshot")
        verbose_name_plural = _("tier snapshots")
        constraints = [
            # Also the index of a customer's history.
            models.UniqueConstraint(fields=["customer", "run"], name="tiersnapshot_unique")
        ]

    def __str__(self):
        return f"{self.customer_id}@{self.run_id}: {self.tier}"
