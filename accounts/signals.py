"""Signals the accounts app sends, so that apps built on it act without accounts knowing them."""

from django.dispatch import Signal

# Sent once a successful metrics recompute has committed, with `sender=MetricsRun` and
# `run` (the MetricsRun); scoring rates its derived factors afresh on it.
metrics_recomputed = Signal()

# Sent once a ledger import has finished (done, rejected or failed) and its record is saved,
# with `sender=LedgerImport` and `ledger_import`; the API announces it to webhooks.
ledger_import_finished = Signal()
