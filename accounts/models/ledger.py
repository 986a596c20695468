"""The sales ledger: invoice lines, saved column mappings and the imports that stored them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .customers import Customer


class VisibleLinesManager(models.Manager):
    """The lines every reader counts: lines of no import, or of an import that is done.

    An import stores its lines in chunks, each committed on its own, and turns done in its
    last one: the lines of one still storing (or failed, before they are deleted) stay out.
    """

    def get_queryset(self):
        unfinished = LedgerImport.objects.exclude(status=LedgerImport.Status.DONE)
        return super().get_queryset().exclude(ledger_import__in=unfinished.values("pk"))


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
    # A line written in another currency: amount and cost above are converted into the
    # company's currency at `exchange_rate`; these keep what the file said.
    # db_default: the bulk insert leaves the column out when no line of a chunk has one.
    currency = models.CharField(
        _("currency as written"), max_length=3, blank=True, default="", db_default=""
    )
    original_amount = models.DecimalField(
        _("amount as written"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    # The import that stored the line (none for lines entered otherwise): its lines count
    # once it is done, and a failed one deletes exactly its own (indexed for that).
    ledger_import = models.ForeignKey(
        "LedgerImport",
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
    )

    # Every stored line, those of unfinished imports too: for the import's own writes.
    stored = models.Manager()
    objects = VisibleLinesManager()

    class Meta:
        default_manager_name = "objects"
        # The lines a PROTECT check or a line's own relations see: all of them.
        base_manager_name = "stored"
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
    # Last sign of life of a queued or running import (queued, each stage, each stored
    # chunk): without one for settings.JOB_STALE_MINUTES, its worker is taken for dead.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    date_format = models.CharField(_("date format"), max_length=32, blank=True)
    valid_only = models.BooleanField(_("import the valid rows only"), default=False)
    # The currency of lines whose own currency cell is blank (blank: the company's).
    currency = models.CharField(_("currency of the file"), max_length=3, blank=True)
    rows_converted = models.PositiveIntegerField(
        _("lines converted from another currency"), default=0
    )
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
        _("amount of the rows without a customer"), max_digits=24, decimal_places=2, default=0
    )
    customers_created = models.PositiveIntegerField(_("customers created"), default=0)
    # The file's valid lines against the metrics period as it stood once they were stored
    # (over every stored line, so it may end on this file's last date); null before a run.
    first_line_date = models.DateField(_("first line date"), null=True, blank=True)
    last_line_date = models.DateField(_("last line date"), null=True, blank=True)
    period_start = models.DateField(_("metrics period start"), null=True, blank=True)
    period_end = models.DateField(_("metrics period end"), null=True, blank=True)
    lines_in_period = models.PositiveIntegerField(
        _("lines in the metrics period"), null=True, blank=True
    )
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

    @property
    def lines_total(self) -> int:
        """The file's valid lines: the ones stored now and the ones stored before."""
        return self.rows_imported + self.rows_duplicate

    @property
    def is_historic(self) -> bool:
        """Done, with lines, none of them inside the metrics period: they count for nothing."""
        return (
            self.status == self.Status.DONE and self.lines_in_period == 0 and self.lines_total > 0
        )

    @property
    def lines_before_period(self) -> int:
        """The file's valid lines older than the metrics period (0 before a run)."""
        if self.lines_in_period is None:
            return 0
        return self.lines_total - self.lines_in_period

    @property
    def can_delete(self) -> bool:
        """Abandoned at the mapping, failed or rejected: none of its lines were stored."""
        return self.status in {self.Status.UPLOADED, self.Status.FAILED, self.Status.REJECTED}

    @property
    def can_retry(self) -> bool:
        """Failed or rejected, with a mapping once confirmed: its file can be run again.

        Not an import that is done, still under way, or whose mapping was never confirmed.
        """
        failed = self.status in {self.Status.REJECTED, self.Status.FAILED}
        return failed and bool(self.mapping) and bool(self.file)
