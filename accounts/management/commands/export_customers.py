"""Write the customer list with metrics, tier, signals and stage as CSV or Excel."""

import sys

from django.core.management.base import BaseCommand

from accounts.exports import customers_csv_write, customers_xlsx_write
from accounts.selectors import customer_export_rows, customer_list
from kamapp.commands import language_argument_add, language_override


class Command(BaseCommand):
    help = "Export every customer with revenue, shares, rank, tier, signals and stage."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", default="-", help="File to write; '-' (the default) is standard output."
        )
        language_argument_add(parser)

    def handle(self, *args, **options):
        with language_override(options):
            self._write(options)

    def _write(self, options) -> None:
        rows = customer_export_rows(customers=customer_list(sort="rank"))
        output = options["output"]
        if options["format"] == "csv":
            if output == "-":
                customers_csv_write(rows=rows, stream=self.stdout)
            else:
                with open(output, "w", newline="", encoding="utf-8") as stream:
                    customers_csv_write(rows=rows, stream=stream)
        elif output == "-":
            customers_xlsx_write(rows=rows, stream=sys.stdout.buffer)
        else:
            with open(output, "wb") as stream:
                customers_xlsx_write(rows=rows, stream=stream)
        if output != "-":
            self.stderr.write(f"Wrote {len(rows)} customers to {output}.")
