"""Export a round's scores, boxes and ratings as CSV or Excel.

Scoring is blind here as on the pages: until the meeting only one rater's own view is
exported (--rater); everyone's, from the meeting on.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from scoring.exports import round_write_csv, round_write_xlsx
from scoring.models import ScoringRound
from scoring.selectors import round_matrix


class Command(BaseCommand):
    help = "Write one row per account of a round: scores, box, completeness and ratings."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output for CSV)."
        )
        parser.add_argument(
            "--rater",
            help="Username: only this person's ratings (the only export before the meeting).",
        )

    def handle(self, *args, round_id, **options):
        try:
            scoring_round = ScoringRound.objects.get(pk=round_id)
        except ScoringRound.DoesNotExist as exc:
            raise CommandError(f"No round with id {round_id}.") from exc
        matrix = round_matrix(
            scoring_round=scoring_round, rater=self._rater(scoring_round, options)
        )
        output = options["output"]
        if options["format"] == "xlsx":
            path = Path(output or f"round-{round_id}.xlsx")
            round_write_xlsx(matrix=matrix, path=path)
            self.stderr.write(f"Wrote {len(matrix.positions)} accounts to {path}")
        elif output:
            with open(output, "w", newline="", encoding="utf-8") as stream:
                round_write_csv(matrix=matrix, stream=stream)
            self.stderr.write(f"Wrote {len(matrix.positions)} accounts to {output}")
        else:
            round_write_csv(matrix=matrix, stream=sys.stdout)

    def _rater(self, scoring_round: ScoringRound, options):
        username = options.get("rater")
        if not username:
            if not scoring_round.ratings_revealed:
                raise CommandError(
                    "Scoring is blind until the meeting: give --rater USERNAME to export "
                    "one rater's own ratings."
                )
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc
