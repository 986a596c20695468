"""Metrics other apps compute, registered with scoring (which never imports them)."""

import numpy as np
import pytest

from scoring import metric_providers
from scoring.services.derived import _metric_values

pytestmark = pytest.mark.django_db


def test_a_registered_provider_gives_the_metrics_values(monkeypatch):
    monkeypatch.setattr(metric_providers, "_providers", {})
    metric_providers.metric_provider_register(
        metric="nps", provider=lambda *, customer_ids: [float(pk) * 10 for pk in customer_ids]
    )
    assert _metric_values(metric="nps", customer_ids=[1, 2]).tolist() == [10.0, 20.0]


def test_a_strength_metric_without_its_provider_rates_nobody(monkeypatch):
    monkeypatch.setattr(metric_providers, "_providers", {})
    assert np.isnan(_metric_values(metric="nps", customer_ids=[1, 2])).all()
