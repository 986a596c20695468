"""The mapping preview: each mapped column's first values as they will be stored."""

from dataclasses import dataclass

import numpy as np

from .checking import customer_codes_normalise
from .dates import DateOrder, date_order_detect, dates_parse
from .fields import DATE_FIELDS, FIELDS, NUMBER_FIELDS
from .numbers import DecimalMark, number_columns_read, number_problems
from .table import LedgerTable


@dataclass
class ColumnPreview:
    """One mapped column as it will be stored: first rows' values and how they are read."""

    field: str
    column: str
    kind: str  # "number", "date" or "text"
    values: list  # float, datetime.date or str per row; None where the value is refused
    problems: list  # the error code per row, "" where the value is fine
    mark: DecimalMark | None = None
    mark_seen: bool = False
    date_order: DateOrder | None = None
    date_order_ambiguous: bool = False
    codes_normalised: bool = False


def ledger_preview(
    table: LedgerTable, *, mapping: dict[str, str], date_order: str, rows: int
) -> list[ColumnPreview]:
    """Each mapped column's first `rows` values as stored, with the decimal mark and date
    order read from all of the table's rows (the preview's sample of the file)."""
    frame = table.frame
    texts = {
        field: frame[column].str.strip()
        for field, column in mapping.items()
        if column in frame.columns
    }
    readings = number_columns_read(
        {field: texts[field] for field in NUMBER_FIELDS if field in texts},
        excel=table.kind == "excel",
    )
    previews = []
    for field in FIELDS:
        if field not in texts:
            continue
        values = texts[field]
        head = values.head(rows)
        filled = (head != "").to_numpy()
        problems = np.where(head.str.contains("\x00", regex=False).to_numpy(), "nul_byte", "")
        preview = ColumnPreview(
            field=field, column=mapping[field], kind="text", values=[], problems=[]
        )
        if field in readings:
            reading = readings[field]
            for code, mask in number_problems(field, reading).items():
                problems = np.where(mask[: len(head)] & (problems == ""), code, problems)
            preview.kind, preview.mark = "number", reading.mark
            preview.mark_seen = reading.mark_seen
            stored = [None if np.isnan(n) else float(n) for n in reading.numbers[: len(head)]]
        elif field in DATE_FIELDS:
            parsed = dates_parse(head, order=date_order)
            problems = np.where(
                filled & np.isnat(parsed) & (problems == ""), "not_a_date", problems
            )
            preview.kind = "date"
            if "%" not in date_order:
                preview.date_order, preview.date_order_ambiguous = date_order_detect(values)
            stored = [value.item() for value in parsed]
        else:
            if field == "customer_code":
                values, preview.codes_normalised = customer_codes_normalise(values)
            stored = values.head(rows).tolist()
        preview.problems = problems.tolist()
        preview.values = [
            None if code else value for value, code in zip(stored, preview.problems, strict=True)
        ]
        previews.append(preview)
    return previews
