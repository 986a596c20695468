"""Signals the scoring app sends, so that apps built on it (the API's webhooks) act on them."""

from django.dispatch import Signal

# Sent once a round's move to another stage has committed, with `sender=ScoringRound`,
# `scoring_round`, `from_status` and `to_status`.
round_stage_changed = Signal()
# Sent once a decision is saved and committed, with `sender=Decision` and `decision`.
decision_recorded = Signal()
