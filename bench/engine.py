"""Matrix engine speed: 100,000 accounts x 12 factors x 3 competitors (target: at most 0.5 s).

Run: .venv/bin/python bench/engine.py
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.engine import matrix_compute

ACCOUNTS, ATTRACTIVENESS_FACTORS, STRENGTH_FACTORS, COMPETITORS = 100_000, 6, 6, 3
TARGET_SECONDS = 0.5


def main(repeat: int = 7) -> None:
    rng = np.random.default_rng(7)
    ratings = {
        "attractiveness_ratings": rng.uniform(0, 10, (ACCOUNTS, ATTRACTIVENESS_FACTORS)),
        "our_strength_ratings": rng.uniform(0, 10, (ACCOUNTS, STRENGTH_FACTORS)),
        "competitor_strength_ratings": rng.uniform(
            0, 10, (ACCOUNTS, COMPETITORS, STRENGTH_FACTORS)
        ),
    }
    # A realistic share of gaps: some unrated cells and competitors without a view.
    ratings["attractiveness_ratings"][rng.random((ACCOUNTS, ATTRACTIVENESS_FACTORS)) < 0.01] = (
        np.nan
    )
    ratings["competitor_strength_ratings"][rng.random(ACCOUNTS) < 0.2, 2, :] = np.nan
    weights = {
        "attractiveness_weights": np.array([25, 20, 15, 15, 15, 10], dtype=float),
        "strength_weights": np.array([25, 20, 20, 15, 10, 10], dtype=float),
    }
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = matrix_compute(
            **ratings, **weights, attractiveness_cutoff=5.0, strength_cutoff=5.0
        )
        timings.append(time.perf_counter() - start)
    placed = int(result.complete.sum())
    median = statistics.median(timings)
    print(
        f"engine: {ACCOUNTS:,} accounts x {ATTRACTIVENESS_FACTORS + STRENGTH_FACTORS} factors "
        f"x {COMPETITORS} competitors"
    )
    print(f"  placed {placed:,}, incomplete {ACCOUNTS - placed:,}")
    print(
        f"  median {median:.3f} s, best {min(timings):.3f} s over {repeat} runs "
        f"(target <= {TARGET_SECONDS} s: {'met' if median <= TARGET_SECONDS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
