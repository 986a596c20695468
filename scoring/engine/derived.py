"""Derived factors: ratings computed from a ledger metric."""

import numpy as np


def percentile_ratings(values: np.ndarray) -> np.ndarray:
    """0-10 by percentile among the accounts: the lowest 0, the highest 10, ties share the
    average of their ranks; NaN (no metric) stays unrated. A single account gets 10."""
    import pandas as pd

    values = np.asarray(values, dtype=float)
    known = ~np.isnan(values)
    ratings = np.full(values.shape, np.nan)
    count = int(known.sum())
    if count == 1:
        ratings[known] = 10.0
    elif count > 1:
        ranks = pd.Series(values[known]).rank(method="average").to_numpy()
        ratings[known] = 10.0 * (ranks - 1) / (count - 1)
    return np.round(ratings, 2)


def banded_ratings(values: np.ndarray, bands: list[tuple[float, float]]) -> np.ndarray:
    """The rating of the highest band whose lowest value the metric reaches; below the first
    band, 0. Bands are (lowest value, rating) pairs."""
    values = np.asarray(values, dtype=float)
    ordered = sorted((float(low), float(rating)) for low, rating in bands)
    lows = np.array([low for low, _rating in ordered])
    ratings = np.array([rating for _low, rating in ordered])
    index = np.searchsorted(lows, np.nan_to_num(values, nan=-np.inf), side="right") - 1
    result = np.where(index >= 0, ratings[np.clip(index, 0, None)], 0.0)
    return np.where(np.isnan(values), np.nan, result)
