"""Disagreement and calibration between raters (KAISM step 6)."""

import numpy as np


def rating_spread(cell: np.ndarray, value: np.ndarray) -> dict[str, np.ndarray]:
    """Per cell (integer cell ids): count, min, max, mean, median, population std."""
    import pandas as pd

    frame = pd.DataFrame({"cell": np.asarray(cell), "value": np.asarray(value, dtype=float)})
    grouped = frame.groupby("cell")["value"]
    stats = grouped.agg(["count", "min", "max", "mean", "median"])
    stats["std"] = grouped.std(ddof=0)
    return {"cell": stats.index.to_numpy()} | {
        column: stats[column].to_numpy() for column in stats.columns
    }


def rater_calibration(
    cell: np.ndarray, rater: np.ndarray, value: np.ndarray
) -> dict[str, np.ndarray]:
    """How far each rater sits from the team on the cells several people rated.

    bias = mean of (own rating - the cell's mean); positive rates systematically higher.
    """
    import pandas as pd

    frame = pd.DataFrame(
        {"cell": np.asarray(cell), "rater": np.asarray(rater), "value": np.asarray(value, float)}
    )
    counts = frame.groupby("cell")["value"].transform("count")
    shared = frame[counts >= 2].copy()
    shared["deviation"] = shared["value"] - shared.groupby("cell")["value"].transform("mean")
    stats = shared.groupby("rater")["deviation"].agg(["mean", "count"])
    return {
        "rater": stats.index.to_numpy(),
        "bias": stats["mean"].to_numpy(),
        "cells": stats["count"].to_numpy(),
    }
