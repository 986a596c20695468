"""How large a ledger file may be, and the cheap checks made before any heavy reading.

Each check reads a few bytes, or streams the file at disk speed in constant memory, so a
file that would take the process down is refused before pandas or the sheet reader sees it.
"""

from dataclasses import dataclass, fields
from pathlib import Path

from .table import LedgerFileError

MIB = 1024 * 1024
BLOCK_BYTES = MIB  # what the streaming counts read at a time


@dataclass(frozen=True)
class LedgerLimits:
    """The most a ledger file may hold; the Django side fills it from the settings."""

    file_bytes: int = 100 * MIB
    rows: int = 2_000_000  # rows of the file, its header and title rows included
    columns: int = 500
    cells: int = 30_000_000  # rows x columns, as the table is read
    xlsx_uncompressed_bytes: int = 1024 * MIB
    xlsx_compression_ratio: int = 100  # uncompressed / compressed size of each large part

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"LedgerLimits.{field.name} must be a whole number >= 1")


class LedgerLimitError(LedgerFileError):
    """A file over one of the limits: `found` is what it holds, as far as it was read."""

    def __init__(self, code: str, *, found: int, limit: int):
        super().__init__(code, f"{found} > {limit}")
        self.found = found
        self.limit = limit


def limit_check(code: str, found: int, limit: int) -> None:
    if found > limit:
        raise LedgerLimitError(code, found=found, limit=limit)


def file_size_check(path: Path, limits: LedgerLimits) -> None:
    limit_check("too_large", path.stat().st_size, limits.file_bytes)


def csv_lines_count(path: Path) -> int:
    """The file's lines, counted a block at a time: an upper bound on its rows (a quoted
    cell may hold a line break). A file that ends its lines with carriage returns alone
    counts those."""
    newlines = returns = 0
    last = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
            newlines += block.count(b"\n")
            returns += block.count(b"\r")
            last = block[-1:]
    unterminated = 1 if last and last not in b"\r\n" else 0
    return max(newlines, returns) + unterminated


def csv_header_columns(path: Path, *, start: int, separator: bytes) -> int:
    """The columns of the header line that starts at byte `start`, counted by its
    separators a block at a time up to the line's end (never the rest of the file).

    Quotes are not followed, so a quoted separator counts: an upper bound, used only for a
    header line longer than the sample the layout is judged on.
    """
    columns = 1
    with path.open("rb") as handle:
        handle.seek(start)
        for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
            ends = [at for at in (block.find(b"\n"), block.find(b"\r")) if at >= 0]
            columns += block.count(separator, 0, min(ends) if ends else len(block))
            if ends:
                break
    return columns
