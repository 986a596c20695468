"""Writes for customers' metrics: the recompute of metrics, Pareto tiers, signals and stages."""

import io
import logging
import time
from datetime import timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kamapp.tasks import BROKER_ERRORS, job_send

from . import pareto
from .models import (
    CompanySettings,
    Customer,
    CustomerMetrics,
    MetricsRun,
    TierSnapshot,
    UserPreference,
)
from .permissions import user_can_flag_competitor
from .signals import metrics_recomputed
from .tasks import metrics_recompute_task

logger = logging.getLogger(__name__)

# One query for the whole ledger, dates as day numbers and money as floats, so no
# per-row conversion to date or Decimal objects happens in Python.
# SQLite cannot return a NaN, so unknown costs and payment delays come as a sentinel.
_UNKNOWN = -1e300
# Only the lines of imports that are done (or of none): as LedgerLine.objects reads them.
_LEDGER_VISIBLE = (
    " WHERE ledger_import_id IS NULL OR ledger_import_id NOT IN"
    " (SELECT id FROM accounts_ledgerimport WHERE status <> 'done')"
)
_LEDGER_SQLITE = (
    "SELECT customer_id, invoice_number,"
    " CAST(julianday(invoice_date) - 2440587.5 AS INTEGER),"
    f" CAST(amount AS REAL), COALESCE(CAST(cost AS REAL), {_UNKNOWN}),"
    f" COALESCE(julianday(paid_date) - julianday(due_date), {_UNKNOWN})"
    " FROM accounts_ledgerline" + _LEDGER_VISIBLE
)
_LEDGER_SQLITE_ROW = np.dtype(
    [
        ("customer_id", "i8"),
        ("invoice", "O"),
        ("day", "i8"),
        ("amount", "f8"),
        ("cost", "f8"),
        ("days_late", "f8"),
    ]
)
# PostgreSQL streams the rows with a binary COPY, every field fixed-width and never NULL, so
# numpy reads them in place. The invoice key is a 64-bit hash of the invoice number: only
# invoices of the same customer are told apart by it, so a collision is out of reach.
_LEDGER_POSTGRESQL = (
    "COPY (SELECT customer_id, hashtextextended(invoice_number, 0),"
    " invoice_date - DATE '1970-01-01', amount::float8,"
    " COALESCE(cost::float8, 'NaN'), COALESCE((paid_date - due_date)::float8, 'NaN')"
    " FROM accounts_ledgerline" + _LEDGER_VISIBLE + ") TO STDOUT WITH (FORMAT binary)"
)
_COPY_HEADER, _COPY_TRAILER = 19, 2  # signature, flags, extension length; then -1 (int16)
_LEDGER_POSTGRESQL_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("customer_id_length", ">i4"),
        ("customer_id", ">i8"),
        ("invoice_length", ">i4"),
        ("invoice", ">i8"),
        ("day_length", ">i4"),
        ("day", ">i4"),
        ("amount_length", ">i4"),
        ("amount", ">f8"),
        ("cost_length", ">i4"),
        ("cost", ">f8"),
        ("days_late_length", ">i4"),
        ("days_late", ">f8"),
    ]
)

_METRICS_COLUMNS = [
    "customer_id",
    "run_id",
    "revenue",
    "margin",
    "value",
    "share",
    "cumulative_share",
    "rank",
    "tier",
    "invoices",
    "months_active",
    "first_purchase",
    "last_purchase",
    "previous_revenue",
    "growth",
    "avg_monthly_revenue",
    "avg_days_late",
    "large_buyer",
    "pareto_top",
    "loyal",
    "late_payer",
    "stage",
]
# What a customer's metrics row says: a run that computes the same values keeps its time.
_COMPARED_COLUMNS = [
    column for column in _METRICS_COLUMNS if column not in ("customer_id", "run_id")
]


class MetricsRunBusy(Exception):
    """Another recompute is running; this one did not start."""


class MetricsRunAbandoned(Exception):
    """The run was failed as stale while it computed: its results are not written."""


def _ledger_frame() -> pd.DataFrame:
    """The whole ledger in one query, with invoice numbers replaced by integer keys."""
    columns = list(pareto.LEDGER_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with cursor.cursor.copy(_LEDGER_POSTGRESQL) as copy:
                for block in copy:
                    buffer.write(block)
            body = buffer.getbuffer()[_COPY_HEADER : buffer.tell() - _COPY_TRAILER]
            rows = np.frombuffer(body, dtype=_LEDGER_POSTGRESQL_ROW)
            if len(rows) and not (rows["fields"] == len(columns)).all():
                raise ValueError("Unexpected row layout in the ledger COPY.")
            return pd.DataFrame(
                {name: rows[name].astype(rows[name].dtype.newbyteorder("=")) for name in columns}
            )
        cursor.execute(_LEDGER_SQLITE)
        rows = np.fromiter(cursor.cursor, dtype=_LEDGER_SQLITE_ROW, count=-1)
    frame = pd.DataFrame({name: rows[name] for name in columns if name != "invoice"})
    frame.insert(1, "invoice", pd.factorize(rows["invoice"])[0])
    return frame.replace({"cost": {_UNKNOWN: np.nan}, "days_late": {_UNKNOWN: np.nan}})


def _customers_frame() -> pd.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code FROM accounts_customer")
        return pd.DataFrame.from_records(cursor.fetchall(), columns=["customer_id", "code"])


def _params(company: CompanySettings) -> pareto.ParetoParams:
    return pareto.ParetoParams(
        period_months=company.period_months,
        calendar_months=company.period_calendar_months,
        measure=company.measure,
        tier_a_share=float(company.tier_a_share) / 100,
        tier_b_share=float(company.tier_b_share) / 100,
        large_buyer_tiers=("A",) if company.large_buyer_tier == "A" else ("A", "B"),
        large_buyer_min_months=company.large_buyer_min_months,
        loyal_years=company.loyal_years,
        growing_growth=float(company.growing_growth) / 100,
        declining_growth=float(company.declining_growth) / 100,
        lapsed_months=company.lapsed_months,
        late_payer_days=float(company.late_payer_days),
    )


def _bulk_insert(*, table: str, frame: pd.DataFrame) -> None:
    """Insert every row of `frame` (columns named as the table's) in one statement."""
    if not len(frame):
        return
    columns = ", ".join(connection.ops.quote_name(column) for column in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            frame.to_csv(buffer, index=False, header=False)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as cp:
                cp.write(buffer.getvalue())
            return
        rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
        placeholders = ", ".join(["%s"] * len(frame.columns))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(rows))


def _run_start(*, trigger: str, started_by_id: int | None) -> MetricsRun:
    """Create the running run, which is the lock; raise MetricsRunBusy if another holds it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            metrics_runs_fail_stale(now=now)
            return MetricsRun.objects.create(
                trigger=trigger, started_by_id=started_by_id, started_at=now
            )
    except IntegrityError as exc:
        raise MetricsRunBusy from exc


def metrics_runs_fail_stale(*, now=None) -> int:
    """Fail the runs still "running" after JOB_STALE_MINUTES: they died with their worker.

    A failed run no longer holds the lock, and the recompute panel stops waiting for it.
    """
    now = now or timezone.now()
    minutes = settings.JOB_STALE_MINUTES
    count = MetricsRun.objects.filter(
        status=MetricsRun.Status.RUNNING, started_at__lt=now - timedelta(minutes=minutes)
    ).update(
        status=MetricsRun.Status.FAILED,
        finished_at=now,
        error=_("Abandoned: still running after %(minutes)s minutes, its worker stopped.")
        % {"minutes": minutes},
    )
    if count:
        logger.warning("%s metrics run(s) running for over %s min failed", count, minutes)
    return count


def _changes(*, frame: pd.DataFrame, previous: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's fingerprint (a 64-bit hash of its compared values) and when it last
    changed: the previous time where the fingerprint is the same, else now. `previous`
    holds the stored rows' (customer_id, fingerprint, changed_at)."""
    fingerprints = pd.util.hash_pandas_object(frame[_COMPARED_COLUMNS], index=False).to_numpy()
    fingerprints = fingerprints.view(np.int64)
    adapt = connection.ops.adapt_datetimefield_value
    changed_at = np.full(len(frame), adapt(timezone.now()), dtype=object)
    known = [row for row in previous if row[1] is not None and row[2] is not None]
    if known:
        position = pd.Index([row[0] for row in known]).get_indexer(frame["customer_id"])
        found = position >= 0
        before = np.array([row[1] for row in known], dtype=np.int64)
        times = np.array([adapt(row[2]) for row in known], dtype=object)
        same = found & (before[np.where(found, position, 0)] == fingerprints)
        changed_at[same] = times[position[same]]
    return fingerprints, changed_at


@transaction.atomic
def _results_write(*, run: MetricsRun, metrics: pd.DataFrame) -> dict[str, int]:
    """Replace every customer's metrics and add this run's snapshot, all or nothing."""
    status = MetricsRun.objects.select_for_update().values_list("status", flat=True).get(pk=run.pk)
    if status != MetricsRun.Status.RUNNING:  # failed as stale meanwhile: no longer the lock
        raise MetricsRunAbandoned
    stored = list(
        CustomerMetrics.objects.values_list("customer_id", "tier", "fingerprint", "changed_at")
    )
    previous = pd.Series({row[0]: row[1] for row in stored}, dtype=object)
    moves = pareto.tier_moves(previous=previous, current=metrics["tier"])
    frame = metrics.reset_index().assign(run_id=run.pk)
    for column in ("first_purchase", "last_purchase"):
        frame[column] = frame[column].map(lambda day: day.isoformat() if day else None)
    frame["fingerprint"], frame["changed_at"] = _changes(
        frame=frame, previous=[(row[0], row[2], row[3]) for row in stored]
    )
    CustomerMetrics.objects.all().delete()
    _bulk_insert(
        table=CustomerMetrics._meta.db_table,
        frame=frame[[*_METRICS_COLUMNS, "fingerprint", "changed_at"]],
    )
    _bulk_insert(
        table=TierSnapshot._meta.db_table,
        frame=frame[["run_id", "customer_id", "tier", "value"]],
    )
    return moves


def metrics_recompute(
    *, trigger: str = MetricsRun.Trigger.COMMAND, started_by_id: int | None = None
) -> MetricsRun:
    """Recompute every customer's metrics, tier, signals and stage from the whole ledger.

    Raises MetricsRunBusy when another run is under way. A failure leaves the previous
    results in place and the run recorded as failed. Once a successful run has committed,
    `metrics_recomputed` is sent (scoring rates its derived factors afresh on it).
    """
    started = time.perf_counter()
    run = _run_start(trigger=trigger, started_by_id=started_by_id)
    try:
        company = CompanySettings.load()
        metrics, summary = pareto.metrics_compute(
            lines=_ledger_frame(), customers=_customers_frame(), params=_params(company)
        )
        moves = _results_write(run=run, metrics=metrics)
    except MetricsRunAbandoned:
        logger.warning("Metrics run %s was failed while computing: not written", run.pk)
        run.refresh_from_db()
        return run
    except Exception as exc:
        run.status = MetricsRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.duration = time.perf_counter() - started
        run.save(update_fields=["status", "error", "finished_at", "duration"])
        logger.exception("Metrics recompute %s failed", run.pk)
        raise
    run.status = MetricsRun.Status.SUCCEEDED
    run.measure = company.measure
    run.period_start = summary.period_start
    run.period_end = summary.period_end
    median = summary.median_monthly_revenue
    run.median_monthly_revenue = None if median is None else Decimal(f"{median:.2f}")
    run.customers = len(metrics)
    run.ledger_lines = summary.ledger_lines
    run.tier_moves = moves
    run.tier_changes = sum(moves.values())
    run.finished_at = timezone.now()
    run.duration = time.perf_counter() - started
    run.save()
    transaction.on_commit(lambda: metrics_recomputed.send(sender=MetricsRun, run=run))
    return run


def metrics_recompute_request(*, trigger: str, started_by_id: int | None = None) -> None:
    """Queue a recompute on a worker once the current transaction commits.

    The ledger import calls this with `trigger=MetricsRun.Trigger.IMPORT` when it finishes.
    With the broker down, a failed run says it was not queued and the broker error goes on
    (the page answers 503).
    """

    def send():
        try:
            job_send(
                metrics_recompute_task, kwargs={"trigger": trigger, "started_by_id": started_by_id}
            )
        except BROKER_ERRORS:
            now = timezone.now()
            MetricsRun.objects.create(
                status=MetricsRun.Status.FAILED,
                trigger=trigger,
                started_by_id=started_by_id,
                started_at=now,
                finished_at=now,
                error=_(
                    "Not queued: the background job service could not be reached. "
                    "Start the recompute again once it is back."
                ),
            )
            raise

    transaction.on_commit(send)


def user_language_set(*, user, language: str) -> UserPreference:
    """Store the interface language a user chose in the top bar."""
    preference, _created = UserPreference.objects.get_or_create(user=user)
    preference.language = language
    preference.full_clean()
    preference.save(update_fields=["language"])
    return preference


def customer_competitor_flag(*, customer: Customer, targeted: bool, user) -> Customer:
    """Mark (or clear) a customer as targeted by a competitor: a signal on its page."""
    if not user_can_flag_competitor(user=user, customer=customer):
        raise PermissionDenied(_("You can only flag the accounts you own."))
    if customer.competitor_targeted != targeted:
        customer.competitor_targeted = targeted
        customer.full_clean()
        customer.save(update_fields=["competitor_targeted", "updated_at"])
    return customer
