"""Meeting pack speed on a round of 5,000 fully rated accounts in its meeting.

Times the whole pack (summary, matrix image, scores, every rating, consensus, decisions)
against what it is made of, measured in the same run: the scores sheet alone as Excel
(the export before the pack had a summary) and the matrix image alone.

Run on SQLite (a fresh file under bench/out/):  .venv/bin/python bench/meeting_pack.py
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)
if "DATABASE_URL" not in os.environ:
    (OUT / "meeting_pack.sqlite3").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'meeting_pack.sqlite3'}"
sys.path.insert(0, str(ROOT))

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.matrix_page import ACCOUNTS, build_round  # noqa: E402  (sets Django up)
from scoring import images  # noqa: E402
from scoring.exports import round_write_xlsx  # noqa: E402
from scoring.models import Rating, ScoringRound  # noqa: E402
from scoring.pack import round_write_pack  # noqa: E402
from scoring.selectors import round_matrix  # noqa: E402

RUNS = 3


def timed(call) -> float:
    """The median of RUNS calls, in seconds."""
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    scoring_round, _team, _manager = build_round(ACCOUNTS)
    ScoringRound.objects.filter(pk=scoring_round.pk).update(status="meeting")
    scoring_round.refresh_from_db()
    matrix = round_matrix(scoring_round=scoring_round)
    ratings = Rating.objects.count()
    print(f"meeting pack on {connection.vendor}: {ACCOUNTS:,} accounts, {ratings:,} ratings")

    size = {}

    def pack():
        stream = io.BytesIO()
        round_write_pack(matrix=matrix, stream=stream)
        size["pack"] = len(stream.getvalue())

    def scores():
        round_write_xlsx(matrix=matrix, path=io.BytesIO())

    def image():
        images.matrix_image(matrix=matrix, image_format="png")

    figures = {"scores sheet alone": timed(scores), "matrix image alone": timed(image)}
    figures["whole pack"] = timed(pack)
    load = os.getloadavg()
    baseline = figures["scores sheet alone"]
    for label, seconds in figures.items():
        print(f"  {label}: {seconds:.2f} s (median of {RUNS}), {seconds / baseline:.1f}x scores")
    print(f"  pack size: {size['pack'] / 1e6:.1f} MB")
    print(f"  load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
