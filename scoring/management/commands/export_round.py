"""Export a round's scores, boxes and ratings as CSV or Excel."""

import sys
from pathlib import Path

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

    def handle(self, *args, round_id, **options):
        try:
            scoring_round = ScoringRound.objects.get(pk=round_id)
        except ScoringRound.DoesNotExist as exc:
            raise CommandError(f"No round with id {round_id}.") from exc
        matrix = round_matrix(scoring_round=scoring_round)
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
