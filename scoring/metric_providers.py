"""Derived-factor metrics that other apps compute: a registry scoring reads, never imports.

An app built on scoring registers a metric's value provider in its AppConfig.ready()
(`metric_provider_register`), so scoring rates a factor bound to that metric without
knowing where the values come from. A provider takes `customer_ids` (a list) and returns
one float per customer, NaN where it has no value.
"""

from collections.abc import Callable

import numpy as np

MetricProvider = Callable[..., np.ndarray]

_providers: dict[str, MetricProvider] = {}


def metric_provider_register(*, metric: str, provider: MetricProvider) -> None:
    """Let `provider` compute `metric`'s values (registering the same metric again replaces it)."""
    _providers[metric] = provider


def metric_provider(metric: str) -> MetricProvider | None:
    return _providers.get(metric)
