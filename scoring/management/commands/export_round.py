"""Export a round's scores, boxes and ratings as CSV or Excel, or its meeting pack.

Scoring is blind here as on the pages: until the meeting only one rater's own view is
exported (--rater); everyone's, from the meeting on. Headers and labels are in --language.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kamapp.commands import language_argument_add, language_override
from scoring.exports import round_write_csv, round_write_xlsx
from scoring.models import ScoringRound
from scoring.pack import round_write_pack
from scoring.selectors import round_matrix


class Command(BaseCommand):
    help = (
        "Write one row per account of a round (scores, box, completeness and ratings) as "
        "CSV or Excel, or the round's meeting pack (--format pack)."
    )

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)
        parser.add_argument("--format", choices=["csv", "xlsx", "pack"], default="csv")
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output for CSV)."
        )
        parser.add_argument(
            "--rater",
            help="Username: only this person's ratings (the only export before the meeting).",
        )
        language_argument_add(parser)

    def handle(self, *args, round_id, **options):
        try:
            scoring_round = ScoringRound.objects.get(pk=round_id)
        except ScoringRound.DoesNotExist as exc:
            raise CommandError(f"No round with id {round_id}.") from exc
        rater = self._rater(scoring_round, options)
        with language_override(options):
            self._write(round_matrix(scoring_round=scoring_round, rater=rater), rater, options)

    def _write(self, matrix, rater, options) -> None:
        output, output_format = options["output"], options["format"]
        round_id = matrix.scoring_round.pk
        if output_format == "pack":
            path = Path(output or f"round-{round_id}-pack.xlsx")
            with open(path, "wb") as stream:
                round_write_pack(matrix=matrix, stream=stream, rater=rater)
        elif output_format == "xlsx":
            path = Path(output or f"round-{round_id}.xlsx")
            round_write_xlsx(matrix=matrix, path=path)
        elif output:
            path = output
            with open(output, "w", newline="", encoding="utf-8") as stream:
                round_write_csv(matrix=matrix, stream=stream)
        else:
            round_write_csv(matrix=matrix, stream=sys.stdout)
            return
        self.stderr.write(f"Wrote {len(matrix.positions)} accounts to {path}")

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
