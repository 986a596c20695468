"""Customers, their segments and competitors, and the sales ledger they are measured by."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Texts people type (notes, rationales): room for a few paragraphs, not for a pasted file
# that would bloat every page and export showing it. Enforced by forms and full_clean().
LONG_TEXT_MAX = 4000


def long_text(verbose_name) -> models.TextField:
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )


class Segment(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = long_text(_("description"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name


class Competitor(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    notes = long_text(_("notes"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")

    def __str__(self):
        return self.name


class Customer(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
    )
    competitor_targeted = models.BooleanField(
        _("targeted by a competitor"),
        default=False,
        help_text=_("Set by a sales manager when a competitor is courting this customer."),
    )
    notes = long_text(_("notes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_additional_data(self) -> dict:
        """Stored with each audit entry, so an account's history is found by its id."""
        return {"customer": self.pk}


class LedgerLine(models.Model):
    """One invoice line; credit notes and returns are kept as negative amounts."""

    # No index of its own: the (customer, invoice_date) index below serves customer lookups,
    # and every extra index slows the bulk import.
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="ledger_lines",
        db_index=False,
    )
    invoice_number = models.CharField(_("invoice number"), max_length=64)
    # Stable identity of the line within its invoice, so re-imports never double-count.
    line_key = models.CharField(_("line key"), max_length=64)
    invoice_date = models.DateField(_("invoice date"), db_index=True)
    # Four decimals: a ledger's own precision (957.5775) is kept, so its totals add up.
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=4)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    product_code = models.CharField(_("product code"), max_length=64, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=18, decimal_places=4, null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paid_date = models.DateField(_("paid date"), null=True, blank=True)

    class Meta:
        ordering = ["-invoice_date", "invoice_number", "line_key"]
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice_number", "line_key"], name="ledgerline_unique_invoice_line"
            )
        ]
        indexes = [models.Index(fields=["customer", "invoice_date"])]

    def __str__(self):
        return f"{self.invoice_number}/{self.line_key}"


# Cut-offs sit on the rating scale.
RATING_SCALE = [MinValueValidator(0), MaxValueValidator(10)]


class CompanySettings(models.Model):
    """The company-wide settings admins keep: one row, read with `CompanySettings.load()`."""

    class Measure(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        MARGIN = "margin", _("Margin")

    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    # Pareto tiers (KAISM section 1).
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.REVENUE
    )
    period_months = models.PositiveSmallIntegerField(
        _("period in months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # Off: the trailing months ending on the last ledger date (a ledger ending 9 December
    # covers 10 December to 9 December). On: whole calendar months ending with its month.
    period_calendar_months = models.BooleanField(
        _("period in complete calendar months"),
        default=False,
        help_text=_(
            "Off: the trailing months ending on the last ledger date. On: the calendar "
            "months ending with the month of the last ledger date."
        ),
    )
    tier_a_share = models.DecimalField(
        _("tier A up to cumulative share (%)"), max_digits=5, decimal_places=2, default=80
    )
    tier_b_share = models.DecimalField(
        _("tier B up to cumulative share (%)"), max_digits=5, decimal_places=2, default=95
    )
    # Matrix (KAISM section 3): defaults for new rounds and the names of the boxes.
    attractiveness_cutoff = models.DecimalField(
        _("default attractiveness cut-off"),
        max_digits=4,
        decimal_places=2,
        default=5,
        validators=RATING_SCALE,
    )
    strength_cutoff = models.DecimalField(
        _("default relative strength cut-off"),
        max_digits=4,
        decimal_places=2,
        default=5,
        validators=RATING_SCALE,
    )
    box_key_name = models.CharField(_("name of the key box"), max_length=60, default="Key")
    box_key_development_name = models.CharField(
        _("name of the key development box"), max_length=60, default="Key development"
    )
    box_maintenance_name = models.CharField(
        _("name of the maintenance box"), max_length=60, default="Maintenance"
    )
    box_opportunistic_name = models.CharField(
        _("name of the opportunistic box"), max_length=60, default="Opportunistic"
    )
    key_account_limit = models.PositiveSmallIntegerField(
        _("warn above this many key accounts"), default=35
    )
    # Key-account signals and relationship stage (KAISM sections 1 and 4).
    large_buyer_tier = models.CharField(
        _("large buyer: revenue in tier"),
        max_length=1,
        choices=[("A", _("A")), ("B", _("A or B"))],
        default="A",
    )
    large_buyer_min_months = models.PositiveSmallIntegerField(
        _("large buyer: months with purchases (of the period)"), default=10
    )
    loyal_years = models.PositiveSmallIntegerField(
        _("loyal: years since the first purchase"), default=3
    )
    growing_growth = models.DecimalField(
        _("growing: growth above (%)"), max_digits=6, decimal_places=2, default=10
    )
    declining_growth = models.DecimalField(
        _("declining: growth below (%)"), max_digits=6, decimal_places=2, default=-10
    )
    lapsed_months = models.PositiveSmallIntegerField(
        _("lapsed: months without a purchase"), default=3
    )
    late_payer_days = models.DecimalField(
        _("late payer: average days late above"), max_digits=6, decimal_places=1, default=15
    )

    class Meta:
        verbose_name = _("company settings")
        verbose_name_plural = _("company settings")

    def __str__(self):
        return str(_("Company settings"))

    def clean(self):
        super().clean()
        a, b = self.tier_a_share, self.tier_b_share
        if a is None or b is None:
            return
        if not 0 < a < b <= 100:
            raise ValidationError(
                {
                    "tier_b_share": _(
                        "Tier shares must satisfy 0 < tier A (%(a)s%%) < tier B (%(b)s%%) ≤ 100%%."
                    )
                    % {"a": a, "b": b}
                }
            )

    @classmethod
    def load(cls) -> "CompanySettings":
        return cls.objects.get_or_create(pk=1)[0]


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


class LedgerMapping(models.Model):
    """A saved column mapping, offered again for files with the same header."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    columns = models.JSONField(_("file columns"), default=list)
    mapping = models.JSONField(_("mapping"), default=dict)
    date_format = models.CharField(_("date format"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ledger mapping")
        verbose_name_plural = _("ledger mappings")

    def __str__(self):
        return self.name


class LedgerImport(models.Model):
    """One run of a ledger file: who, when, which file, what it did and what was wrong."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for the mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: the file has errors")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        READING = "reading", _("Reading")
        VALIDATING = "validating", _("Validating")
        STORING = "storing", _("Storing")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_imports",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    date_format = models.CharField(_("date format"), max_length=32, blank=True)
    valid_only = models.BooleanField(_("import the valid rows only"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    rows_total = models.PositiveIntegerField(_("rows read"), default=0)
    rows_imported = models.PositiveIntegerField(_("lines imported"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("lines already there"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows without a customer"), default=0)
    skipped_amount = models.DecimalField(
        _("amount of the rows without a customer"), max_digits=18, decimal_places=2, default=0
    )
    customers_created = models.PositiveIntegerField(_("customers created"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first errors, for the report page; all of them are in `errors_file` as CSV.
    errors = models.JSONField(_("first errors"), default=list, blank=True)
    errors_file = models.FileField(
        _("errors (CSV)"), upload_to="imports/errors/", max_length=255, blank=True
    )
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REJECTED, self.Status.FAILED}


class UserPreference(models.Model):
    """What one user chose for themselves: for now the interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return f"{self.user} · {self.language or '-'}"
