"""Ledger lines sent as JSON lines (one object a line) turned into the CSV the ledger import
reads: Django-free."""

import csv
import io
import json


class JsonLinesError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


def json_lines_to_csv(body: bytes) -> bytes:
    """CSV (UTF-8, a header of every key in the order first seen) of the objects in `body`.

    Raises JsonLinesError for a line that is not a JSON object of plain values (`reason`:
    `not_json`, `not_object`, `nested`), or `empty` with no object at all.
    """
    rows, columns = [], {}
    for number, line in enumerate(body.decode("utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise JsonLinesError(number, "not_json") from exc
        if not isinstance(row, dict):
            raise JsonLinesError(number, "not_object")
        if any(isinstance(value, dict | list) for value in row.values()):
            raise JsonLinesError(number, "nested")
        columns.update(dict.fromkeys(row))
        rows.append(row)
    if not rows:
        raise JsonLinesError(0, "empty")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return buffer.getvalue().encode("utf-8")
