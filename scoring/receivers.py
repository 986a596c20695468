"""What scoring does when the apps it builds on report a change (connected in ScoringConfig)."""

from scoring.services import derived_ratings_refresh


def derived_ratings_on_metrics_recomputed(sender, *, run, **kwargs) -> None:
    """Factors derived from the metrics rate the open rounds' accounts afresh."""
    derived_ratings_refresh()
