"""Signals the accounts app sends, so that apps built on it act without accounts knowing them."""

from django.dispatch import Signal

# Sent once a successful metrics recompute has committed, with `sender=MetricsRun` and
# `run` (the MetricsRun); scoring rates its derived factors afresh on it.
metrics_recomputed = Signal()
