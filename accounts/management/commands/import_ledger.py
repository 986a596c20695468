"""python manage.py import_ledger FILE: import a sales ledger from the command line."""

import difflib
import re
import shlex
import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from accounts.ledger import parsing
from accounts.ledger.messages import error_message, mapping_problems_message
from accounts.ledger.selectors import ledger_file_columns
from accounts.ledger.services import ledger_import_path
from accounts.models import LedgerImport


class ProgressBar:
    """One line redrawn in place: stage, a bar, rows done of total."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.last_stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.last_stage and self.last_stage:
            self.stream.write("\n")
        self.last_stage = stage
        filled = int(self.WIDTH * done / total) if total else 0
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{stage:<10} [{bar}] {done:>10,}/{total:<10,} {elapsed:6.1f}s")
        self.stream.flush()

    def close(self) -> None:
        if self.last_stage:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Import a sales ledger (CSV or Excel); lines already imported are skipped."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=(
                "Column for a ledger field (repeatable); the other fields keep the columns "
                "guessed from the header, and FIELD= drops a guess. "
                f"Fields: {', '.join(parsing.FIELDS)}."
            ),
        )
        parser.add_argument(
            "--date-format",
            default="",
            help="dmy, mdy, ymd or a strptime format such as %%d.%%m.%%Y (default: detected).",
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows even if some rows have errors.",
        )
        parser.add_argument(
            "--currency",
            default="",
            help="Currency of lines without their own currency column (default: the company's).",
        )
        parser.add_argument("--user", default="", help="Username recorded as the importer.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        mapping = self._mapping(path, self._overrides(options["map"]))
        date_format = options["date_format"].strip()
        if date_format and "%" not in date_format and date_format not in set(parsing.DateOrder):
            raise CommandError("--date-format must be dmy, mdy, ymd or a strptime format.")
        currency = options["currency"].strip().upper()
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            raise CommandError("--currency must be three letters (ISO 4217), such as USD.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        bar = None if options["no_progress"] else ProgressBar(self.stderr._out or sys.stderr)
        try:
            ledger_import = ledger_import_path(
                path=path,
                user=user,
                mapping=mapping,
                date_format=date_format,
                valid_only=options["valid_only"],
                currency=currency,
                progress=bar,
            )
        finally:
            if bar:
                bar.close()
        self._report(ledger_import)

    def _overrides(self, pairs: list[str]) -> dict[str, str]:
        overrides = {}
        for pair in pairs:
            field, equals, column = pair.partition("=")
            field = field.strip()
            if field not in parsing.FIELDS or not equals:
                fields = ", ".join(parsing.FIELDS)
                raise CommandError(f"--map {pair!r}: expected FIELD=COLUMN, FIELD one of {fields}")
            overrides[field] = column.strip()
        return overrides

    def _mapping(self, path: Path, overrides: dict[str, str]) -> dict[str, str]:
        """The guesses from the file's header with the --map fields replaced, printed.

        Refused, with the header and the --map lines to add, when a field is missing. A
        file that cannot be read goes on to the import, which records why.
        """
        try:
            columns = ledger_file_columns(path=path)
        except parsing.LedgerFileError:
            return overrides
        mapping = parsing.mapping_override(columns, overrides)
        problems = parsing.mapping_problems(mapping, columns)
        if problems:
            raise CommandError(self._mapping_help(mapping, columns, problems))
        self.stdout.write("mapping (guessed from the header unless given with --map):")
        for field in parsing.FIELDS:
            if field in mapping:
                given = "  (--map)" if field in overrides else ""
                self.stdout.write(f"  {field} = {mapping[field]}{given}")
        return mapping

    def _mapping_help(self, mapping, columns, problems) -> str:
        suggestions = parsing.mapping_suggestions(mapping, columns)
        lines = [
            mapping_problems_message(problems, suggestions),
            f"Columns of the file: {', '.join(columns)}",
            "Add to the command:",
        ]
        for code, field in problems:
            column = mapping[field] if code == "unknown_column" else ""
            near = difflib.get_close_matches(column, columns, n=1) if column else []
            best = (suggestions.get(field) or near or ["COLUMN"])[0]
            option = shlex.quote(f"{field}={best}")
            lines.append(f"  --map {option}" + (f"  (no column {column!r})" if column else ""))
        return "\n".join(lines)

    def _period_report(self, ledger_import: LedgerImport) -> None:
        """The file's dates against the metrics period, and a warning when none is inside."""
        out = self.stdout
        if ledger_import.first_line_date:
            first, last = ledger_import.first_line_date, ledger_import.last_line_date
            out.write(f"dates in the file: {first} to {last}")
        if ledger_import.period_end:
            out.write(
                f"lines in the metrics period ({ledger_import.period_start} to "
                f"{ledger_import.period_end}): {ledger_import.lines_in_period:,} "
                f"of {ledger_import.lines_total:,}"
            )
        if ledger_import.is_historic or ledger_import.lines_before_period:
            settings_url = reverse("admin:accounts_companysettings_change", args=[1])
            what = (
                "None of the file's lines fall inside the metrics period: a historic ledger. "
                "Its customers show tier C with zero revenue until the period covers their dates."
                if ledger_import.is_historic
                else f"{ledger_import.lines_before_period:,} of the file's lines fall before the "
                "metrics period and count towards no tier."
            )
            where = f"The period is set in the company settings: {settings_url}"
            out.write(self.style.WARNING(f"{what} {where}"))

    def _report(self, ledger_import: LedgerImport) -> None:
        out = self.stdout
        name = ledger_import.file_name
        out.write(f"{name}: {ledger_import.get_status_display()} (import #{ledger_import.pk})")
        if ledger_import.message:
            out.write(ledger_import.message)
        if ledger_import.status != LedgerImport.Status.FAILED:
            out.write(
                f"rows read {ledger_import.rows_total:,}; "
                f"imported {ledger_import.rows_imported:,}; "
                f"already there {ledger_import.rows_duplicate:,}; "
                f"with errors {ledger_import.rows_invalid:,}; "
                f"without a customer {ledger_import.rows_skipped:,} "
                f"(total {ledger_import.skipped_amount:,}); "
                f"customers created {ledger_import.customers_created:,}; "
                f"{ledger_import.duration or 0:.1f} s"
            )
        self._period_report(ledger_import)
        for error in ledger_import.errors[:20]:
            out.write(
                f"{name}: row {error['row']}, column {error['column']!r}, "
                f"value {error['value']!r}: {error_message(error['code'])}"
            )
        if ledger_import.error_count > 20:
            out.write(f"... {ledger_import.error_count - 20:,} more errors")
        if ledger_import.errors_file:
            out.write(f"All errors: {ledger_import.errors_file.path}")
        if ledger_import.status in {LedgerImport.Status.FAILED, LedgerImport.Status.REJECTED}:
            hint = ""
            if ledger_import.rows_invalid:
                hint = " Use --valid-only to import the valid rows."
            raise CommandError(f"Nothing was imported.{hint}")
