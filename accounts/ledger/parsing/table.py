"""What reading and checking a ledger file hand back, and the error they raise."""

from dataclasses import dataclass

import pandas as pd


class LedgerFileError(Exception):
    """The file cannot be read as a ledger; `code` says why (worded by the caller)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass
class LedgerTable:
    """A file's cells as strings under its header; `first_row` is the file row of index 0."""

    frame: pd.DataFrame
    first_row: int
    kind: str
    encoding: str = ""
    delimiter: str = ""
    may_hold_nul: bool = True  # False when the file was seen to have no NUL byte at all

    @property
    def columns(self) -> list[str]:
        return [str(column) for column in self.frame.columns]


@dataclass
class CheckedLedger:
    """The valid lines with their keys, and one error row per bad cell."""

    lines: pd.DataFrame
    errors: pd.DataFrame
    rows_total: int
    rows_invalid: int
    rows_skipped: int
    skipped_amount: float
