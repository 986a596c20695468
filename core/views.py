"""The dashboard: what the app holds, the rounds waiting for the user, the accounts overdue
for contact that the nightly check flagged for them, the Pareto tiers."""

from django.views.decorators.http import require_GET

from accounts.selectors import (
    ledger_counts,
    metrics_run_latest,
    metrics_run_panel,
    tier_moves,
    tier_summary,
)
from kamapp.htmx import render_page_or_partial
from planning.selectors import cadence_flags_for
from scoring.selectors import round_count, round_pending_for_user


@require_GET
def dashboard(request):
    counts = {**ledger_counts(), "rounds": round_count()}
    latest = metrics_run_latest()
    context = {
        "counts": counts,
        "pending_rounds": round_pending_for_user(user=request.user),
        "cadence_overdue": cadence_flags_for(user=request.user),
        "latest_run": latest,
        "moves": tier_moves(run=latest),
        "tiers": tier_summary() if latest else [],
        **metrics_run_panel(user=request.user, since=""),
    }
    # After a recompute the tier cards and moves ask for themselves again (their partial).
    return render_page_or_partial(request, "core/dashboard.html", "tiers", context)
