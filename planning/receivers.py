"""What planning does when the apps it builds on report a change (connected in PlanningConfig)."""

from planning.services import objectives_track


def objectives_track_on_metrics_recomputed(sender, *, run, **kwargs) -> None:
    """Objectives bound to a ledger metric record the recomputed value."""
    objectives_track(run=run)
